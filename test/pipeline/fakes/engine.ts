import { createHash } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import type { StackOutputs } from "../../../infra/outputs";
import type { StackConfig } from "../../../infra/stack-config";
import { canonicalJson } from "../../../cli/config/release-id";
import { DeploymentError, SetupError, StackLockedError } from "../../../cli/errors";
import type {
  DriftedResource,
  Engine,
  EngineOptions,
  PolicyViolation,
  PreviewResult,
  ReleaseRecord,
  StackRef,
  UpResult,
} from "../../../cli/pipeline/ports";

export type EngineOperation = "preview" | "up" | "outputs" | "history" | "refresh" | "prepareProgram";

export interface EngineCall {
  op: EngineOperation;
  stack: string;
  /** The release id of the config, for preview and up. */
  releaseId?: string;
  programRevision?: string;
  /** An up that only records that the release baked healthy. */
  bakeRecord?: true;
}

interface InjectedFailure {
  message: string;
  when: (config: StackConfig) => boolean;
  times: number;
  /** The update starts its AppConfig deployments before it fails, as one failing on a later resource does. */
  afterDeploying: boolean;
  /** The update fails on a setup problem (no credentials, wrong passphrase) before it changes anything. */
  setup?: SetupError["problem"];
}

interface StackState {
  outputs?: StackOutputs;
  history: ReleaseRecord[];
  locked: boolean;
  /** Locked for updates only: another update took the lock after dcp's preview, before its `up`. */
  lockedAtUp: boolean;
  /** Content hash per profile that AppConfig serves. */
  served: Record<string, string>;
}

/**
 * An Engine that keeps each stack's outputs and update history in memory, honouring
 * the port's contract: locks, history recording the applied StackConfig, outputs
 * naming the release, cancel stopping a running update. Like the real engine, a failed
 * update records the config it tried in history and leaves the outputs as they were,
 * whatever it deployed. What AppConfig serves follows the program's contract: every
 * profile whose content is not in `metadata.deployedContent` is deployed. Failures,
 * violations and latency are injected per stack.
 */
export class InMemoryEngine implements Engine {
  readonly calls: EngineCall[] = [];
  /** Called as each update starts, before it can finish: where tests interrupt. */
  onUpStarted?: (stack: StackRef, config: StackConfig) => void;
  /** Called when an update starts an AppConfig deployment (a Deployment resource it did not hold before). */
  onDeploymentStarted?: (stack: string, deploymentNumber: number) => void;
  private readonly stacks = new Map<string, StackState>();
  private readonly failures = new Map<string, InjectedFailure[]>();
  private readonly violations = new Map<string, PolicyViolation[]>();
  private readonly drifted = new Map<string, DriftedResource[]>();
  private readonly running = new Map<string, AbortController>();
  /** Revisions whose program the engine refuses to run, with the error it refuses with. */
  private readonly refusedRevisions = new Map<string, Error>();
  private held: Promise<void> | undefined;
  private releaseHeld: (() => void) | undefined;

  constructor(
    private readonly latencyMs: Partial<Record<EngineOperation, number>> = {},
    /** The time updates are recorded at: the World's fake clock, so that soak times follow it. */
    private readonly now: () => number = Date.now,
  ) {}

  /** A release the stack had before the test starts, every profile of it deployed. */
  seed(stack: StackRef, config: StackConfig, environment: Record<string, string> = {}): void {
    const at = new Date("2026-01-15T10:00:00Z");
    const state = this.state(stack.name);
    this.apply(state, config, environment, at, at);
    const outputs = state.outputs as StackOutputs;
    state.outputs = { ...outputs, deployedContent: { ...outputs.contentHashes }, deploymentNumbers: {} };
    state.served = { ...outputs.contentHashes };
  }

  failUp(
    stack: string,
    message: string,
    options: { when?: (config: StackConfig) => boolean; times?: number; afterDeploying?: boolean; setup?: SetupError["problem"] } = {},
  ): void {
    const list = this.failures.get(stack) ?? [];
    list.push({
      message,
      when: options.when ?? (() => true),
      times: options.times ?? 1,
      afterDeploying: options.afterDeploying ?? false,
      ...(options.setup && { setup: options.setup }),
    });
    this.failures.set(stack, list);
  }

  violate(violation: PolicyViolation): void {
    this.violations.set(violation.stack, [...(this.violations.get(violation.stack) ?? []), violation]);
  }

  /** What a refresh of the stack finds changed by hand from now on. */
  /** The program at `revision` is refused, as the real engine refuses one that is not on the main branch. */
  refuseRevision(revision: string, error: Error): void {
    this.refusedRevisions.set(revision, error);
  }

  drift(stack: string, resources: DriftedResource[]): void {
    this.drifted.set(stack, structuredClone(resources));
  }

  /**
   * Another update holds the stack's lock. With `{ atUp: true }` it took the lock after
   * dcp's preview: the preview passes and the `up` is refused, as a real stack's would be
   * (the lock is taken before the update is recorded, so its history gains nothing).
   */
  lock(stack: string, options: { atUp?: boolean } = {}): void {
    if (options.atUp) this.state(stack).lockedAtUp = true;
    else this.state(stack).locked = true;
  }

  /** Updates started from now on wait until `resume()` (or until cancelled). */
  holdUpdates(): void {
    this.held = new Promise((resolve) => (this.releaseHeld = resolve));
  }

  resume(): void {
    this.releaseHeld?.();
    this.held = undefined;
  }

  /** The StackConfig of the stack's last successful update that applied a release (not only recorded its bake). */
  configOf(stack: string): StackConfig | undefined {
    return this.stacks.get(stack)?.history.find((r) => r.result === "succeeded" && r.config?.metadata?.bakedAt === undefined)?.config;
  }

  /** The release the stack's last successful update recorded as baked healthy, if it did. */
  bakedReleaseOf(stack: string): string | undefined {
    const metadata = this.stacks.get(stack)?.history.find((r) => r.result === "succeeded")?.config?.metadata;
    return metadata?.bakedAt !== undefined ? metadata.releaseId : undefined;
  }

  /** Content hash per profile that AppConfig serves on the stack. */
  servedOf(stack: string): Record<string, string> {
    return { ...this.stacks.get(stack)?.served };
  }

  releaseOf(stack: string): string | undefined {
    return this.stacks.get(stack)?.outputs?.releaseId;
  }

  /** The stacks previewed or updated to a release, in call order; records of a bake are not counted. */
  updatesOf(op: "preview" | "up"): string[] {
    return this.calls.filter((c) => c.op === op && !c.bakeRecord).map((c) => c.stack);
  }

  /** The stacks whose bake was recorded, in call order. */
  bakeRecordsOf(): string[] {
    return this.calls.filter((c) => c.bakeRecord).map((c) => c.stack);
  }

  async preview(stack: StackRef, config: StackConfig, options: EngineOptions): Promise<PreviewResult> {
    this.calls.push({ op: "preview", stack: stack.name, releaseId: config.metadata?.releaseId ?? "" });
    await this.latency("preview", options.signal);
    if (this.state(stack.name).locked) throw new StackLockedError(stack.name);
    return { stack: stack.name, changes: { update: 1 }, violations: this.violationsUnder(stack.name, options.policyConfig) };
  }

  /** As the engine does: the pack config given with the call decides each policy's enforcement. */
  private violationsUnder(stack: string, policyConfig: EngineOptions["policyConfig"]): PolicyViolation[] {
    return (this.violations.get(stack) ?? []).map((violation) => {
      const entry = policyConfig[violation.policy];
      const level = typeof entry === "string" ? entry : (entry as { enforcementLevel?: string } | undefined)?.enforcementLevel;
      return level === undefined ? violation : { ...violation, level: level as PolicyViolation["level"] };
    });
  }

  async up(stack: StackRef, config: StackConfig, options: EngineOptions): Promise<UpResult> {
    this.calls.push({
      op: "up",
      stack: stack.name,
      releaseId: config.metadata?.releaseId ?? "",
      ...(options.programRevision !== undefined && { programRevision: options.programRevision }),
      ...(config.metadata?.bakedAt !== undefined && { bakeRecord: true as const }),
    });
    const refused = options.programRevision !== undefined ? this.refusedRevisions.get(options.programRevision) : undefined;
    if (refused !== undefined) throw refused;
    const state = this.state(stack.name);
    if (state.locked || state.lockedAtUp) throw new StackLockedError(stack.name);
    state.locked = true;
    const cancel = new AbortController();
    this.running.set(stack.name, cancel);
    const signal = options.signal ? AbortSignal.any([options.signal, cancel.signal]) : cancel.signal;
    const startedAt = new Date(this.now());
    try {
      this.onUpStarted?.(stack, config);
      await this.latency("up", signal);
      const blocking = this.violationsUnder(stack.name, options.policyConfig).filter((v) => v.level === "mandatory");
      if (blocking.length > 0) throw new DeploymentError(`mandatory policy violations: ${blocking.map((v) => v.policy).join(", ")}`);
      if (this.held) await Promise.race([this.held, aborted(signal)]);
      const failure = this.takeFailure(stack.name, config);
      if (failure !== undefined) {
        if (failure.setup !== undefined) throw new SetupError(failure.setup, failure.message);
        if (failure.afterDeploying) deploy(state, config);
        state.history.unshift(this.record(state, config, "failed", startedAt));
        throw new DeploymentError(failure.message);
      }
      this.apply(state, config, {}, startedAt, undefined, stack.name);
      return { stack: stack.name, changes: { update: 1 }, outputs: state.outputs as StackOutputs };
    } catch (error) {
      if (!signal.aborted) throw error;
      state.history.unshift(this.record(state, config, "failed", startedAt));
      throw new DeploymentError(`the update of ${stack.name} was cancelled`);
    } finally {
      this.running.delete(stack.name);
      state.locked = false;
    }
  }

  async outputs(stack: StackRef): Promise<StackOutputs | undefined> {
    this.calls.push({ op: "outputs", stack: stack.name });
    await this.latency("outputs");
    const outputs = this.stacks.get(stack.name)?.outputs;
    return outputs && structuredClone(outputs);
  }

  async history(stack: StackRef): Promise<ReleaseRecord[]> {
    this.calls.push({ op: "history", stack: stack.name });
    await this.latency("history");
    return structuredClone(this.stacks.get(stack.name)?.history ?? []);
  }

  async refresh(stack: StackRef): Promise<DriftedResource[]> {
    this.calls.push({ op: "refresh", stack: stack.name });
    await this.latency("refresh");
    return structuredClone(this.drifted.get(stack.name) ?? []);
  }

  async prepareProgram(revision: string): Promise<void> {
    this.calls.push({ op: "prepareProgram", stack: "", programRevision: revision });
    const refused = this.refusedRevisions.get(revision);
    if (refused !== undefined) throw refused;
  }

  private state(name: string): StackState {
    let state = this.stacks.get(name);
    if (state === undefined) {
      state = { history: [], locked: false, lockedAtUp: false, served: {} };
      this.stacks.set(name, state);
    }
    return state;
  }

  private async latency(op: EngineOperation, signal?: AbortSignal): Promise<void> {
    const ms = this.latencyMs[op] ?? 0;
    if (ms > 0) await delay(ms, undefined, signal ? { signal } : {});
    else signal?.throwIfAborted();
  }

  private takeFailure(stack: string, config: StackConfig): InjectedFailure | undefined {
    const failure = this.failures.get(stack)?.find((f) => f.times > 0 && f.when(config));
    if (failure === undefined) return undefined;
    failure.times--;
    return failure;
  }

  private apply(state: StackState, config: StackConfig, environment: Record<string, string>, startedAt: Date, endedAt?: Date, stack?: string): void {
    const record = this.record(state, config, "succeeded", startedAt, environment, endedAt);
    state.history.unshift(record);
    const before = state.outputs;
    const outputs = outputsOf(config, record.version);
    // The same Deployment resource as before (same profile, same content) is not started again.
    for (const [profile, number] of Object.entries(outputs.deploymentNumbers)) {
      const held = before?.deploymentNumbers[profile];
      if (held !== undefined && before?.contentHashes[profile] === outputs.contentHashes[profile]) outputs.deploymentNumbers[profile] = held;
      else if (stack !== undefined) this.onDeploymentStarted?.(stack, number);
    }
    state.outputs = outputs;
    deploy(state, config);
  }

  private record(
    state: StackState,
    config: StackConfig,
    result: ReleaseRecord["result"],
    startedAt: Date,
    environment: Record<string, string> = {},
    endedAt = new Date(this.now()),
  ): ReleaseRecord {
    const version = (state.history[0]?.version ?? 0) + 1;
    return { version, kind: "update", result, startedAt, endedAt, config: structuredClone(config), environment };
  }
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true }));
}

function hash(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex").slice(0, 16);
}

/** AppConfig serves, from now on, every profile whose content the config does not list as deployed. */
/** What AppConfig serves once the update's one deployment (as the program declares it) completes. */
function deploy(state: StackState, config: StackConfig): void {
  const deployed = config.metadata?.deployedContent ?? {};
  const next = Object.entries(contentHashesOf(config)).find(([profile, contentHash]) => deployed[profile] !== contentHash);
  if (next !== undefined) state.served[next[0]] = next[1];
}

/** The content hash of each profile the program renders for `config`. */
export function contentHashesOf(config: StackConfig): Record<string, string> {
  const contentHashes: Record<string, string> = { "feature-flags": hash(config.flags) };
  for (const [name, component] of Object.entries(config.components)) contentHashes[name] = hash(component.config);
  return contentHashes;
}

/** What the program would export for `config`: enough for the bake, status and rollback. */
export function outputsOf(config: StackConfig, version: number): StackOutputs {
  const id = `${config.stage}-${config.region}`;
  const contentHashes = contentHashesOf(config);
  // As the program does: one deployment per update, of the first profile whose content is not deployed.
  const deployed = config.metadata?.deployedContent ?? {};
  const next = Object.keys(contentHashes).find((profile) => deployed[profile] !== contentHashes[profile]);
  const deploymentNumbers: Record<string, number> = next === undefined ? {} : { [next]: version };
  const deployedContent = Object.fromEntries(Object.keys(contentHashes).flatMap((p) => (deployed[p] === undefined ? [] : [[p, deployed[p]]])));
  return {
    releaseId: config.metadata?.releaseId ?? "",
    applicationId: `app-${id}`,
    environmentId: `env-${id}`,
    profileIds: Object.fromEntries(Object.keys(contentHashes).map((p) => [p, `profile-${p}-${id}`])),
    contentHashes,
    deployedContent,
    deploymentNumbers,
    deploymentStrategyId: `strategy-${id}`,
    alarmNames: config.alarms.map((a) => `${config.workload}-${id}-${a.name}`),
    alarmArns: config.alarms.map((a) => `arn:aws:cloudwatch:${config.region}:${config.account}:alarm:${a.name}`),
  };
}
