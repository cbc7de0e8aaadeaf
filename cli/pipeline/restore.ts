/**
 * Returning stacks to an earlier release: re-apply the StackConfig that the stack's
 * own history recorded for it, with `up`, all stacks at once. Used by the automatic
 * rollback of a failed release and by `dcp rollback`.
 */
import type { StackOutputs } from "../../infra/outputs";
import type { StackConfig } from "../../infra/stack-config";
import type { Envs } from "../config/model";
import { placementOf, type Placement } from "../config/resolve";
import { SECURITY_POLICIES } from "../config/security-policies";
import { RollbackError, SetupError } from "../errors";
import { applyStack } from "./apply-stack";
import { messageOf } from "./concurrency";
import { heldRelease, positionOf, previousRelease, releaseIdOfRecord, type StackPosition } from "./history";
import { servedContent, stampRelease, type ReleaseContext } from "./metadata";
import type { Clock, Engine, EngineOptions, PipelinePorts, PolicyPackConfig, ReleaseRecord, StackRef } from "./ports";

export interface RestoreTarget {
  stack: StackRef;
  /** The update to return to; undefined when the stack has none. */
  record: ReleaseRecord | undefined;
  /** The release the stack holds now, perhaps partly (see heldRelease); undefined when it was never released. */
  holds: string | undefined;
  /** What AppConfig serves on the stack now (see servedContent). */
  served: Record<string, string> | undefined;
  /** The stack's outputs now (those of its last successful update): where its AppConfig deployments stand. */
  outputs: StackOutputs | undefined;
}

export type RestoreOutcome =
  | { stack: StackRef; state: "rolled-back"; releaseId: string; from?: string }
  | { stack: StackRef; state: "unchanged"; releaseId: string }
  | { stack: StackRef; state: "failed"; releaseId: string; holds?: string; error: string; setup?: SetupError }
  | { stack: StackRef; state: "no-earlier-release"; holds?: string };

export interface RestoreOptions {
  policyConfig: (stage: string) => PolicyPackConfig;
  /** The stage's account, role and endpoint as envs/ names them now: the recorded ones came from the state backend. */
  placement: (stage: string) => Placement;
  context: ReleaseContext;
  /** The time to record for a restored release that carries none of its own. */
  releasedAt: string;
  /** Apply old configs with the working copy's program instead of the program of their git revision. */
  currentProgram?: boolean;
  cancelling?: AbortSignal;
}

/** The restore options of a release's automatic rollback and of `dcp rollback`, from their own options. */
export function restoreOptions(
  options: Pick<RestoreOptions, "policyConfig" | "context" | "currentProgram"> & { interrupts?: { cancelling: AbortSignal } },
  envs: Envs,
  clock: Clock,
): RestoreOptions {
  return {
    policyConfig: options.policyConfig,
    placement: (stage) => placementOf(envs, stage),
    context: options.context,
    releasedAt: new Date(clock.now()).toISOString(),
    ...(options.currentProgram !== undefined && { currentProgram: options.currentProgram }),
    ...(options.interrupts !== undefined && { cancelling: options.interrupts.cancelling }),
  };
}

/** A stack as its ledger shows it: the history, where it stands, and what AppConfig serves on it. */
export interface StackLedger {
  stack: StackRef;
  history: ReleaseRecord[];
  position: StackPosition;
  holds: string | undefined;
  served: Record<string, string> | undefined;
  outputs: StackOutputs | undefined;
}

export async function readLedger(stack: StackRef, engine: Engine): Promise<StackLedger> {
  const [history, outputs] = await Promise.all([engine.history(stack), engine.outputs(stack)]);
  const position = positionOf(history);
  return { stack, history, position, holds: heldRelease(position), served: servedContent(position, outputs), outputs };
}

/**
 * Where the automatic rollback of a release returns the stacks that hold it (wholly or
 * partly, whichever run put it there): each to the release it held before.
 */
export function targetsHolding(ledgers: StackLedger[], releaseOf: (stack: StackRef) => string): RestoreTarget[] {
  return ledgers
    .filter((l) => l.holds === releaseOf(l.stack))
    .map(({ stack, history, holds, served, outputs }) => ({ stack, record: previousRelease(history, holds), holds, served, outputs }));
}

type RestorePorts = Pick<PipelinePorts, "engine" | "deployments" | "clock" | "reporter">;

export async function restore(targets: RestoreTarget[], options: RestoreOptions, ports: RestorePorts): Promise<RestoreOutcome[]> {
  const outcomes = await Promise.all(targets.map((target) => restoreOne(target, options, ports)));
  // Missing credentials or a wrong passphrase stop an update before it changes anything: when
  // that is all that happened, it is a setup problem to fix (exit 1), not a failed rollback.
  const setup = outcomes.find(failedOnSetup);
  if (setup !== undefined && !outcomes.some((o) => o.state === "rolled-back")) throw setup.setup;
  return outcomes;
}

function failedOnSetup(outcome: RestoreOutcome): outcome is Extract<RestoreOutcome, { state: "failed" }> & { setup: SetupError } {
  return outcome.state === "failed" && outcome.setup !== undefined;
}

async function restoreOne(
  target: RestoreTarget,
  options: RestoreOptions,
  ports: RestorePorts,
): Promise<RestoreOutcome> {
  const { stack, record, holds } = target;
  const releaseId = record && releaseIdOfRecord(record);
  if (record?.config === undefined || releaseId === undefined) {
    return { stack, state: "no-earlier-release", ...(holds !== undefined && { holds }) };
  }
  if (releaseId === holds) {
    ports.reporter.emit({ type: "stack-skipped", stack: stack.name, releaseId, reason: "already holds this release" });
    return { stack, state: "unchanged", releaseId };
  }
  const reason = holds === undefined ? `rollback to ${releaseId}` : `rollback from ${holds} to ${releaseId}`;
  const engineOptions: EngineOptions = {
    policyConfig: relaxedForRollback(options.policyConfig(stack.stage)),
    signal: options.cancelling,
  };
  let context = options.context;
  const revision = programRevisionOf(record, options.context);
  if (revision !== undefined) {
    ports.reporter.emit({ type: "program-revision", stack: stack.name, gitCommit: revision, usingCurrentProgram: !!options.currentProgram });
    if (!options.currentProgram) {
      engineOptions.programRevision = revision;
      // The ledger names the program that ran: a clean worktree at that revision, not this checkout's HEAD.
      context = { ...options.context, gitCommit: revision, gitDirty: false };
    }
  }
  // The release's own time: the program renders its flags as of that day, and `rollback --to` matches its run by it.
  const releasedAt = record.config.metadata?.releasedAt ?? options.releasedAt;
  const config = stampRelease(placedAsToday(record.config, options.placement(stack.stage)), context, releasedAt, target.served, reason);
  const from = holds !== undefined ? { from: holds } : {};
  ports.reporter.emit({ type: "stack-rolling-back", stack: stack.name, releaseId, ...from });
  try {
    await applyStack(stack, config, { engine: engineOptions, before: target.outputs, stopFirst: true }, ports);
    ports.reporter.emit({ type: "rolled-back", stack: stack.name, releaseId, ...from });
    return { stack, state: "rolled-back", releaseId, ...from };
  } catch (error) {
    // Not the outputs, which a failed update leaves as they were: the stack still holds (part of) what it held.
    ports.reporter.emit({ type: "rollback-failed", stack: stack.name, message: messageOf(error), ...(holds !== undefined && { holds }) });
    return { stack, state: "failed", releaseId, ...(holds !== undefined && { holds }), error: messageOf(error), ...(error instanceof SetupError && { setup: error }) };
  }
}

/**
 * The recorded configuration, deployed where and as whom envs/ says today: whoever can write
 * the state backend cannot choose the role a rollback assumes or the endpoint its calls go to.
 */
function placedAsToday(recorded: StackConfig, placement: Placement): StackConfig {
  const { endpoint: _recorded, ...config } = recorded;
  return { ...config, ...placement };
}

/** The git revision whose program re-applies `record`, when it is not this checkout's. */
export function programRevisionOf(record: ReleaseRecord | undefined, context: ReleaseContext): string | undefined {
  const revision = record?.config?.metadata?.gitCommit;
  return revision !== context.gitCommit ? revision : undefined;
}

export function restoreFailed(outcomes: RestoreOutcome[]): boolean {
  return outcomes.some((o) => o.state === "failed" || o.state === "no-earlier-release");
}

/** One line per stack saying where it stands, for error messages. */
export function describeOutcomes(outcomes: RestoreOutcome[]): string[] {
  return outcomes.map((o) => {
    const name = o.stack.name;
    switch (o.state) {
      case "rolled-back":
        return `${name}: rolled back to ${o.releaseId}${o.from !== undefined ? ` (from ${o.from})` : ""}`;
      case "unchanged":
        return `${name}: already held ${o.releaseId}, unchanged`;
      case "failed":
        return `${name}: ROLLBACK FAILED, still holds ${o.holds ?? "no release"} (its resources may be partly updated): ${o.error}`;
      case "no-earlier-release":
        return `${name}: has no earlier release to return to, holds ${o.holds ?? "no release"}`;
    }
  });
}

/** What a human runs next for each stack the rollback could not restore. */
function nextSteps(outcomes: RestoreOutcome[]): string[] {
  const steps: string[] = [];
  for (const o of outcomes) {
    const { stage, region, name } = o.stack;
    if (o.state === "failed") {
      steps.push(`${name}: fix the cause above, then \`dcp rollback ${stage} --region ${region} --to ${o.releaseId}\``);
      if (/locked/i.test(o.error)) steps.push(`${name}: if no update is really running, \`pulumi cancel --stack ${name}\` first`);
    } else if (o.state === "no-earlier-release") {
      steps.push(`${name}: fix forward with \`dcp release\`, or remove its resources by hand`);
    }
  }
  return steps;
}

export function rollbackError(headline: string, outcomes: RestoreOutcome[]): RollbackError {
  const lines = [headline, "State of each stack:", ...describeOutcomes(outcomes).map((l) => `  ${l}`), "Next:", ...nextSteps(outcomes).map((l) => `  ${l}`)];
  return new RollbackError(lines.join("\n"));
}

/**
 * A rollback returns a stack to a state that passed the policies when it was released;
 * a configuration rule tightened since must not block that in an incident, so those
 * report but do not stop. The security policies stay as they are: a state whose IAM or
 * secrets a current policy refuses is not restored, whoever recorded it in the backend.
 */
export function relaxedForRollback(config: PolicyPackConfig): PolicyPackConfig {
  const relaxed: PolicyPackConfig = {};
  for (const [policy, entry] of Object.entries(config)) {
    if (SECURITY_POLICIES.includes(policy)) relaxed[policy] = entry;
    else if (entry === "mandatory" || entry === "remediate") relaxed[policy] = "advisory";
    else if (entry !== null && typeof entry === "object" && "enforcementLevel" in entry && entry.enforcementLevel !== "disabled") {
      relaxed[policy] = { ...entry, enforcementLevel: "advisory" };
    } else relaxed[policy] = entry;
  }
  return relaxed;
}
