/**
 * The automatic rollback of a release whose update failed or whose bake was unhealthy.
 * What a failed release changed is what the stacks' histories say, not what the run
 * believes it did: a stack holds the release (wholly or partly) once an update of it
 * started applying it, whichever run that was, however much of it applied; a stack
 * whose update never started (it was locked, or a sibling failed first) holds what it held.
 */
import { BakeFailedError, DeploymentError } from "../errors";
import { stackRefOf, type PlannedStage, type PlannedWave } from "./plan";
import type { PipelinePorts } from "./ports";
import { describeOutcomes, readLedger, restore, restoreFailed, rollbackError, targetsHolding, type RestoreOptions, type RestoreTarget, type StackLedger } from "./restore";

export type RollbackScope = "wave" | "stage";

export interface RollbackPlan {
  /** The stacks to return to the release they held before. */
  targets: RestoreTarget[];
  /** Stacks holding the release that rollbackScope: wave leaves as they are. */
  kept: string[];
}

/** Which stacks of the stage the release changed, and of those which the rollback scope returns. */
export function rollbackPlan(ledgers: StackLedger[], stage: PlannedStage, wave: PlannedWave, scope: RollbackScope): RollbackPlan {
  const releaseOf = new Map(stage.waves.flatMap((w) => w.stacks).map((s) => [s.name, s.releaseId]));
  // Stryker disable next-line StringLiteral: a ledger of a stack outside the stage holds no release of it, whatever id it is compared with
  const holding = targetsHolding(ledgers, (stack) => releaseOf.get(stack.name) ?? "");
  const inScope = (name: string) => scope === "stage" || wave.stacks.some((s) => s.name === name);
  return { targets: holding.filter((t) => inScope(t.stack.name)), kept: holding.filter((t) => !inScope(t.stack.name)).map((t) => t.stack.name) };
}

export interface FailedWave {
  stage: PlannedStage;
  wave: PlannedWave;
  failure: "update" | "bake";
  /** What failed, one line per stack after the first. */
  cause: string;
  /** Said last, about the stages the release has finished: they keep it. */
  earlierStages: string;
}

/** Roll back what the failed wave's release changed, then throw what the user is told: what failed, and where each stack now stands. */
export async function rollBackFailedWave(failed: FailedWave, scope: RollbackScope, options: RestoreOptions, ports: PipelinePorts): Promise<never> {
  const { stage, wave, cause, earlierStages } = failed;
  const ledgers = await Promise.all(stage.waves.flatMap((w) => w.stacks).map((s) => readLedger(stackRefOf(s), ports.engine)));
  const { targets, kept } = rollbackPlan(ledgers, stage, wave, scope);
  ports.reporter.emit({ type: "rollback-started", stacks: targets.map((t) => t.stack.name), reason: cause.split("\n")[0] });
  const outcomes = await restore(targets, options, ports);
  const keptNote = kept.length > 0 ? `\nKept by rollbackScope: wave (earlier waves of ${stage.name} baked cleanly): ${kept.join(", ")}` : "";
  if (restoreFailed(outcomes)) {
    throw rollbackError(`${cause}\nThe automatic rollback failed: a human is needed.${keptNote}${earlierStages}`, outcomes);
  }
  const rolledBack = outcomes.length > 0 ? describeOutcomes(outcomes).map((l) => `  ${l}`).join("\n") : "  nothing had changed";
  const error = failed.failure === "bake" ? BakeFailedError : DeploymentError;
  throw new error(`${cause}\nRolled back (rollbackScope: ${scope}, wave ${wave.name}):\n${rolledBack}${keptNote}${earlierStages}`);
}
