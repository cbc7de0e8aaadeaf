/**
 * `dcp rollback <stage>`: every selected stack of the stage back to its previous
 * successful release (or the one named), all at once, so that a stage rollback takes
 * about the time of one stack update.
 */
import type { Envs } from "../config/model";
import { resolveStacks } from "../config/resolve";
import { UsageError } from "../errors";
import { reportingFinish } from "./finish";
import { findRelease, findReleaseRun, previousRelease } from "./history";
import type { ReleaseContext } from "./metadata";
import { stackRefOf } from "./plan";
import type { PipelinePorts, PolicyPackConfig, ReleaseRecord } from "./ports";
import { describeOutcomes, restore, restoreFailed, rollbackError, type RestoreOutcome, type RestoreTarget } from "./restore";
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
      const stacks = targets.map((t) => t.stack.name);
      ports.reporter.emit({ type: "rollback-started", stacks, reason: options.to !== undefined ? `to ${options.to}` : "to the previous release" });
      const outcomes = await restore(
        targets,
        {
          policyConfig: options.policyConfig,
          context: options.context,
          releasedAt: new Date(ports.clock.now()).toISOString(),
          ...(options.currentProgram !== undefined && { currentProgram: options.currentProgram }),
          ...(options.interrupts !== undefined && { cancelling: options.interrupts.cancelling }),
        },
        ports,
      );
      if (restoreFailed(outcomes)) throw rollbackError(`rollback of ${options.stage} failed: a human is needed.`, outcomes);
      return outcomes;
    }),
  );
}

async function chooseTargets(envs: Envs, options: RollbackOptions, ports: PipelinePorts): Promise<RestoreTarget[]> {
  const names = envs.stages.map((s) => s.name);
  if (!names.includes(options.stage)) throw new UsageError(`unknown stage "${options.stage}"; the stages are ${names.join(", ")}`);
  const stacks = resolveStacks(envs, { stage: options.stage, ...(options.region !== undefined && { region: options.region }) }).map(stackRefOf);
  if (stacks.length === 0) throw new UsageError(`stage ${options.stage} does not deploy to region ${options.region}`);
  const read = await Promise.all(
    stacks.map(async (stack) => {
      const [outputs, history] = await Promise.all([ports.engine.outputs(stack), ports.engine.history(stack)]);
      return { stack, outputs, history, holds: outputs?.releaseId };
    }),
  );
  const pick = options.to === undefined ? undefined : targetRun(options.to, read.map((r) => r.history), options.stage);
  const targets = read.map(({ stack, outputs, history, holds }) => ({
    stack,
    outputs,
    holds,
    record: pick === undefined ? previousRelease(history, holds) : pick(history),
  }));
  const missing = targets.filter((t) => t.record === undefined);
  if (missing.length > 0) {
    const lines = describeOutcomes(missing.map((t) => ({ stack: t.stack, state: "no-earlier-release", ...(t.holds !== undefined && { holds: t.holds }) })));
    const wanted = options.to === undefined ? "an earlier release" : `release ${options.to}`;
    throw new UsageError(
      [
        `refusing to roll back ${options.stage}: ${missing.length === 1 ? "a stack has" : "stacks have"} no ${wanted} to return to. Nothing was changed.`,
        ...lines.map((l) => `  ${l}`),
        "Roll back the other regions with --region, or fix forward with `dcp release`.",
      ].join("\n"),
    );
  }
  return targets;
}

/**
 * Release ids are per stack (the region is part of the content), so `--to` names one
 * stack's release; the other stacks return to the update made by the same release
 * run, which shares the run's `releasedAt`.
 */
function targetRun(releaseId: string, histories: ReleaseRecord[][], stage: string): (history: ReleaseRecord[]) => ReleaseRecord | undefined {
  const named = histories.map((h) => findRelease(h, releaseId)).find((r) => r !== undefined);
  const releasedAt = named?.config?.metadata?.releasedAt;
  if (named === undefined) throw new UsageError(`no stack of ${stage} ever ran release ${releaseId}; \`dcp history ${stage}\` lists the releases`);
  return (history) => findRelease(history, releaseId) ?? (releasedAt !== undefined ? findReleaseRun(history, releasedAt) : undefined);
}
