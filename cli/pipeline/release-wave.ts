/**
 * One wave of a release: preview the stacks that need the release with the policy pack,
 * update them (at most `parallel` at once), bake the wave, record the bake. The wave
 * says how it ended; rolling back and stopping are the release's to decide
 * (release.ts), which knows the stage and the run.
 */
import type { StackOutputs } from "../../infra/outputs";
import type { ResolvedStack } from "../config/model";
import { DeploymentError } from "../errors";
import { applyStack } from "./apply-stack";
import { bake } from "./bake";
import { recordBaked } from "./bake-record";
import { messageOf, rejections, settleBounded } from "./concurrency";
import type { ReleaseStanding } from "./history";
import { stampRelease, type ReleaseContext } from "./metadata";
import { stackRefOf, type PlannedWave } from "./plan";
import type { HealthReason, PipelinePorts, PolicyPackConfig, PolicyViolation, WatchTarget } from "./ports";
import { isBlocking, policyViolationError, previewWave, type PreviewItem } from "./preview";
import type { StackLedger } from "./restore";

/** Where a stack stands with the release when its stage starts. */
export interface Standing {
  ledger: StackLedger;
  state: ReleaseStanding;
}

export interface WaveOptions {
  /** Stacks previewed and updated at once. */
  parallel: number;
  policyConfig: PolicyPackConfig;
  dryRun: boolean;
  context: ReleaseContext;
  releasedAt: string;
  skipSoakReason?: string;
  /** Start nothing new once aborted (the first Ctrl-C, or the stage lease lost). */
  stopping?: AbortSignal;
  /** Cancel the running updates once aborted (the second Ctrl-C). */
  cancelling?: AbortSignal;
}

export type WaveResult = { stack: ResolvedStack; result: "updated" | "baked" | "skipped" | "previewed" };

export type WaveOutcome =
  | { kind: "done"; results: WaveResult[]; violations: PolicyViolation[] }
  /** Some update failed, or the bake was unhealthy: the stage is to be rolled back. */
  | { kind: "failed"; failure: "update" | "bake"; cause: string }
  /** `stopping` was aborted: nothing new was started. */
  | { kind: "interrupted" };

export async function releaseWave(
  wave: PlannedWave,
  standingOf: (stack: ResolvedStack) => Standing | undefined,
  options: WaveOptions,
  ports: PipelinePorts,
): Promise<WaveOutcome> {
  const { reporter } = ports;
  const stateOf = (s: ResolvedStack) => standingOf(s)?.state ?? "pending";
  reporter.emit({ type: "wave-started", stage: wave.stage, wave: wave.name, stacks: wave.stacks.map((s) => s.name) });
  const todo = wave.stacks.filter((s) => stateOf(s) === "pending");
  const unbaked = wave.stacks.filter((s) => stateOf(s) === "unbaked");
  const results: WaveResult[] = [];
  for (const s of wave.stacks) {
    if (stateOf(s) === "pending") continue;
    const baked = stateOf(s) === "baked";
    reporter.emit({ type: "stack-skipped", stack: s.name, releaseId: s.releaseId, reason: baked ? "this release has baked healthy on it" : "holds this release, which has not baked on it yet" });
    if (baked || options.dryRun) results.push({ stack: s, result: "skipped" });
  }
  const done = (violations: PolicyViolation[] = []): WaveOutcome => ({ kind: "done", results, violations });
  if (todo.length === 0 && (unbaked.length === 0 || options.dryRun)) return done();
  const items = todo.map((s): PreviewItem => {
    const ledger = standingOf(s)?.ledger;
    return { stack: stackRefOf(s), config: stampRelease(s.config, options.context, options.releasedAt, ledger?.served, options.skipSoakReason) };
  });
  const engineOptions = { parallel: options.parallel, policyConfig: options.policyConfig, cancelling: options.cancelling };
  const violations = await previewWave(items, engineOptions, ports).catch((error: unknown) => {
    // Previews cancelled by a second Ctrl-C changed nothing: the run is interrupted, it did not fail.
    if (options.cancelling?.aborted) return undefined;
    throw error;
  });
  if (violations === undefined) return { kind: "interrupted" };
  if (options.dryRun) {
    results.push(...todo.map((stack) => ({ stack, result: "previewed" as const })));
    return done(violations);
  }
  if (violations.some(isBlocking)) throw policyViolationError(`${wave.stage} wave ${wave.name}`, violations);

  // Once stopping, this starts no update and the wave ends interrupted.
  const updates = await updateStacks(todo.map((s, i) => ({ s, item: items[i] as PreviewItem, before: standingOf(s)?.ledger })), options, ports);
  if (options.stopping?.aborted) return { kind: "interrupted" };
  if (updates.failures.length > 0) {
    const lines = updates.failures.map((f) => `  ${messageOf(f)}`);
    return { kind: "failed", failure: "update", cause: `release of ${wave.stage} wave ${wave.name} failed:\n${lines.join("\n")}` };
  }
  results.push(...updates.updated.map((stack) => ({ stack, result: "updated" as const })));

  const targets: WatchTarget[] = [
    ...items.map((item) => ({ ...item, outputs: updates.outputs.get(item.stack.name) as StackOutputs })),
    ...unbaked.map((s) => heldTarget(s, standingOf(s))),
  ];
  const verdict = await bake(wave, targets, ports, options.stopping);
  if ("interrupted" in verdict) return { kind: "interrupted" };
  if (!verdict.healthy) {
    const lines = verdict.reasons.map(describeReason);
    return { kind: "failed", failure: "bake", cause: `bake of ${wave.stage} wave ${wave.name} failed:\n${lines.join("\n")}` };
  }
  await recordBaked(`${wave.stage} wave ${wave.name}`, targets, engineOptions, ports);
  results.push(...unbaked.map((stack) => ({ stack, result: "baked" as const })));
  return done(violations);
}

interface StackUpdate {
  s: ResolvedStack;
  item: PreviewItem;
  before: StackLedger | undefined;
}

/**
 * Update the wave's stacks, at most `parallel` at once. Stacks not yet started when a
 * sibling fails or an interrupt arrives stay as they are: less to roll back.
 */
async function updateStacks(
  updates: StackUpdate[],
  options: WaveOptions,
  ports: PipelinePorts,
): Promise<{ updated: ResolvedStack[]; outputs: Map<string, StackOutputs>; failures: unknown[] }> {
  const { reporter } = ports;
  const updated: ResolvedStack[] = [];
  const outputs = new Map<string, StackOutputs>();
  let failed = false;
  const results = await settleBounded(updates, options.parallel, async ({ s, item, before }) => {
    if (failed || options.stopping?.aborted) return;
    reporter.emit({ type: "stack-updating", stack: s.name, releaseId: s.releaseId, ...(before?.holds !== undefined && { from: before.holds }) });
    try {
      const engine = { policyConfig: options.policyConfig, signal: options.cancelling };
      const result = await applyStack(item.stack, item.config, { engine, before: before?.outputs, stopping: options.stopping }, ports);
      outputs.set(s.name, result.outputs);
      reporter.emit({ type: "stack-updated", stack: s.name, releaseId: s.releaseId, changes: result.changes });
      updated.push(s);
    } catch (error) {
      failed = true;
      reporter.emit({ type: "stack-failed", stack: s.name, message: messageOf(error) });
      throw new DeploymentError(`${s.name}: ${messageOf(error)}`);
    }
  });
  return { updated, outputs, failures: rejections(results) };
}

/** What the bake watches on a stack that an earlier run updated: the config and outputs of that update, as its ledger read them. */
function heldTarget(s: ResolvedStack, standing: Standing | undefined): WatchTarget {
  const stack = stackRefOf(s);
  const outputs = standing?.ledger.outputs;
  if (outputs === undefined) throw new DeploymentError(`${s.name}: its history says it holds ${s.releaseId}, but it has no outputs`);
  return { stack, config: standing?.ledger.position.applied?.config ?? s.config, outputs };
}

function describeReason(reason: HealthReason): string {
  return `  ${reason.stack}: ${reason.kind} ${reason.subject}: ${reason.detail}`;
}
