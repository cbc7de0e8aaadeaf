/**
 * `dcp rollback <stage>`: every selected stack of the stage back to its previous
 * successful release (or the one named), all at once, so that a stage rollback takes
 * about the time of one stack update.
 */
import type { Envs } from "../config/model";
import { resolveStacks } from "../config/resolve";
import { DeploymentError, UsageError } from "../errors";
import { reportingFinish } from "./finish";
import { previousRelease, releaseIdOfRecord, releaseRunOf, rolledBackFrom } from "./history";
import type { ReleaseContext } from "./metadata";
import { stackRefOf } from "./plan";
import type { PipelinePorts, PolicyPackConfig, ReleaseRecord } from "./ports";
import { describeOutcomes, programRevisionOf, readLedger, restore, restoreFailed, restoreOptions, rollbackError, type RestoreOutcome, type RestoreTarget, type StackLedger } from "./restore";
import type { Interrupts } from "./interrupts";
import { leaseRequest, withStageLease } from "./lease";

export interface RollbackOptions {
  stage: string;
  region?: string;
  /** A release id to return to instead of the previous release. */
  to?: string;
  currentProgram?: boolean;
  /** Break the stage lease of a run that died, recording why; a release's lease is taken over without it. */
  breakLease?: string;
  policyConfig: (stage: string) => PolicyPackConfig;
  context: ReleaseContext;
  interrupts?: Interrupts;
}

export async function rollback(envs: Envs, options: RollbackOptions, ports: PipelinePorts): Promise<RestoreOutcome[]> {
  return reportingFinish(ports.reporter, () =>
    withStageLease(leaseRequest(options.stage, "rollback", options.breakLease, options.interrupts?.stopping), ports, async () => {
      const targets = await chooseTargets(envs, options, ports);
      if (!options.currentProgram) await preparePrograms(targets, options, ports);
      const stacks = targets.map((t) => t.stack.name);
      ports.reporter.emit({ type: "rollback-started", stacks, reason: options.to !== undefined ? `to ${options.to}` : "to the previous release" });
      const outcomes = await restore(targets, restoreOptions(options, envs, ports.clock), ports);
      if (restoreFailed(outcomes)) throw rollbackError(`rollback of ${options.stage} failed: a human is needed.`, outcomes);
      return outcomes;
    }),
  );
}

/**
 * Every recorded program the rollback would run, checked out and built before any stack
 * changes: one the engine refuses (not on the main branch, not in this clone, not
 * building) stops the whole rollback, rather than leaving the stage half rolled back.
 * Nothing changed and the user chooses what next (merge, fetch, --current-program): exit 1.
 */
async function preparePrograms(targets: RestoreTarget[], options: RollbackOptions, ports: PipelinePorts): Promise<void> {
  const revisions = new Set(targets.flatMap((t) => programRevisionOf(t.record, options.context) ?? []));
  try {
    for (const revision of revisions) await ports.engine.prepareProgram(revision);
  } catch (error) {
    if (error instanceof UsageError || error instanceof DeploymentError) throw new UsageError(`${error.message}. Nothing was changed.`);
    throw error;
  }
}

async function chooseTargets(envs: Envs, options: RollbackOptions, ports: PipelinePorts): Promise<RestoreTarget[]> {
  const names = envs.stages.map((s) => s.name);
  if (!names.includes(options.stage)) throw new UsageError(`unknown stage "${options.stage}"; the stages are ${names.join(", ")}`);
  const stacks = resolveStacks(envs, { stage: options.stage, region: options.region }).map(stackRefOf);
  if (stacks.length === 0) throw new UsageError(`stage ${options.stage} does not deploy to region ${options.region}`);
  const ledgers = await Promise.all(stacks.map((stack) => readLedger(stack, ports.engine)));
  const pick = options.to === undefined ? undefined : targetRun(options.to, ledgers, options.stage);
  const targets = ledgers.map(({ stack, history, holds, served, outputs }) => ({
    stack,
    holds,
    served,
    outputs,
    record: pick === undefined ? previousRelease(history, holds) : pick(history),
  }));
  const missing = targets.filter((t) => t.record === undefined);
  if (missing.length > 0) {
    const lines = describeOutcomes(missing.map((t) => ({ stack: t.stack, state: "no-earlier-release", holds: t.holds })));
    const wanted = options.to === undefined ? "earlier release" : `release ${options.to}`;
    throw new UsageError(
      [
        `refusing to roll back ${options.stage}: ${missing.length === 1 ? "a stack has" : "stacks have"} no ${wanted} to return to. Nothing was changed.`,
        ...lines.map((l) => `  ${l}`),
        "Roll back the other regions with --region, or fix forward with `dcp release`.",
      ].join("\n"),
    );
  }
  if (options.to === undefined) refuseUndoingRollbacks(options, ledgers, targets);
  return targets;
}

/**
 * "The previous release" of a stack that was itself rolled back is the release it was
 * rolled back from: `rollback prod` after `rollback prod --region R` would put R back on
 * the release it left, and a second `rollback prod` would undo the first. Neither is
 * what someone repeating a rollback in an incident means, so dcp refuses and names the
 * releases, and `--to` says which is meant.
 */
function refuseUndoingRollbacks(options: RollbackOptions, ledgers: StackLedger[], targets: RestoreTarget[]): void {
  const undoing = targets.flatMap((target, i) => {
    const applied = ledgers[i]?.position.applied;
    const left = rolledBackFrom(applied);
    const to = target.record && releaseIdOfRecord(target.record);
    return left !== undefined && left === to && target.holds !== undefined && applied !== undefined
      ? [{ stack: target.stack, holds: target.holds, left, at: applied.endedAt ?? applied.startedAt }]
      : [];
  });
  const [first] = undoing;
  if (first === undefined) return;
  const others = targets.filter((t) => !undoing.some((u) => u.stack === t.stack));
  throw new UsageError(
    [
      `refusing to roll back ${options.stage}: ${undoing.length === 1 ? "a stack was" : "stacks were"} rolled back already, and "the previous release" would return ${undoing.length === 1 ? "it" : "them"} to the release ${undoing.length === 1 ? "it was" : "they were"} rolled back from. Nothing was changed.`,
      ...undoing.map((u) => `  ${u.stack.name}: rolled back from ${u.left} to ${u.holds} at ${u.at.toISOString().slice(0, 19)}Z`),
      ...(others.length > 0
        ? [`To bring the other stacks to the release ${first.stack.name} returned to: \`dcp rollback ${options.stage} --to ${first.holds}\``]
        : [`To go further back, name the release: \`dcp history ${options.stage}\` lists them, \`dcp rollback ${options.stage} --to <release-id>\` returns to one.`]),
      `To undo the rollback of ${first.stack.name} deliberately: \`dcp rollback ${options.stage} --region ${first.stack.region} --to ${first.left}\``,
    ].join("\n"),
  );
}

/**
 * Release ids are per stack (the region is part of the content), so `--to` names one
 * stack's release; the other stacks return to the update made by the same release run.
 */
function targetRun(releaseId: string, ledgers: StackLedger[], stage: string): (history: ReleaseRecord[]) => ReleaseRecord | undefined {
  const pick = releaseRunOf(releaseId, ledgers.map((l) => l.history));
  if (pick === undefined) throw new UsageError(`no stack of ${stage} ever ran release ${releaseId}; \`dcp history ${stage}\` lists the releases`);
  return pick;
}
