import { createHash } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import type { StackOutputs } from "../../../infra/outputs";
import type { StackConfig } from "../../../infra/stack-config";
import { canonicalJson } from "../../../cli/config/release-id";
import { DeploymentError, StackLockedError } from "../../../cli/errors";
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

export type EngineOperation = "preview" | "up" | "outputs" | "history" | "refresh";

export interface EngineCall {
  op: EngineOperation;
  stack: string;
  /** The release id of the config, for preview and up. */
  releaseId?: string;
  programRevision?: string;
}

interface InjectedFailure {
  message: string;
  when: (config: StackConfig) => boolean;
  times: number;
}

interface StackState {
  outputs?: StackOutputs;
  history: ReleaseRecord[];
  locked: boolean;
}

/**
 * An Engine that keeps each stack's outputs and update history in memory, honouring
 * the port's contract: locks, history recording the applied StackConfig, outputs
 * naming the release, cancel stopping a running update. Failures, violations and
 * latency are injected per stack.
 */
export class InMemoryEngine implements Engine {
  readonly calls: EngineCall[] = [];
  /** Called as each update starts, before it can finish: where tests interrupt. */
  onUpStarted?: (stack: StackRef) => void;
  /** Called when an update starts an AppConfig deployment (a Deployment resource it did not hold before). */
  onDeploymentStarted?: (stack: string, deploymentNumber: number) => void;
  private readonly stacks = new Map<string, StackState>();
  private readonly failures = new Map<string, InjectedFailure[]>();
  private readonly violations = new Map<string, PolicyViolation[]>();
  private readonly drifted = new Map<string, DriftedResource[]>();
  private readonly running = new Map<string, AbortController>();
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
  }

  failUp(stack: string, message: string, options: { when?: (config: StackConfig) => boolean; times?: number } = {}): void {
    const list = this.failures.get(stack) ?? [];
    list.push({ message, when: options.when ?? (() => true), times: options.times ?? 1 });
    this.failures.set(stack, list);
  }

  violate(violation: PolicyViolation): void {
    this.violations.set(violation.stack, [...(this.violations.get(violation.stack) ?? []), violation]);
  }

  /** What a refresh of the stack finds changed by hand from now on. */
  drift(stack: string, resources: DriftedResource[]): void {
    this.drifted.set(stack, structuredClone(resources));
  }

  lock(stack: string): void {
    this.state(stack).locked = true;
  }

  /** Updates started from now on wait until `resume()` (or until cancelled). */
  holdUpdates(): void {
    this.held = new Promise((resolve) => (this.releaseHeld = resolve));
  }

  resume(): void {
    this.releaseHeld?.();
    this.held = undefined;
  }

  /** The StackConfig of the stack's last successful update. */
  configOf(stack: string): StackConfig | undefined {
    return this.stacks.get(stack)?.history.find((r) => r.result === "succeeded")?.config;
  }

  releaseOf(stack: string): string | undefined {
    return this.stacks.get(stack)?.outputs?.releaseId;
  }

  updatesOf(op: "preview" | "up"): string[] {
    return this.calls.filter((c) => c.op === op).map((c) => c.stack);
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
    });
    const state = this.state(stack.name);
    if (state.locked) throw new StackLockedError(stack.name);
    state.locked = true;
    const cancel = new AbortController();
    this.running.set(stack.name, cancel);
    const signal = options.signal ? AbortSignal.any([options.signal, cancel.signal]) : cancel.signal;
    const startedAt = new Date(this.now());
    try {
      this.onUpStarted?.(stack);
      await this.latency("up", signal);
      const blocking = this.violationsUnder(stack.name, options.policyConfig).filter((v) => v.level === "mandatory");
      if (blocking.length > 0) throw new DeploymentError(`mandatory policy violations: ${blocking.map((v) => v.policy).join(", ")}`);
      if (this.held) await Promise.race([this.held, aborted(signal)]);
      const failure = this.takeFailure(stack.name, config);
      if (failure !== undefined) {
        state.history.unshift(this.record(state, config, "failed", startedAt));
        throw new DeploymentError(failure);
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

  private state(name: string): StackState {
    let state = this.stacks.get(name);
    if (state === undefined) {
      state = { history: [], locked: false };
      this.stacks.set(name, state);
    }
    return state;
  }

  private async latency(op: EngineOperation, signal?: AbortSignal): Promise<void> {
    const ms = this.latencyMs[op] ?? 0;
    if (ms > 0) await delay(ms, undefined, signal ? { signal } : {});
    else signal?.throwIfAborted();
  }

  private takeFailure(stack: string, config: StackConfig): string | undefined {
    const failure = this.failures.get(stack)?.find((f) => f.times > 0 && f.when(config));
    if (failure === undefined) return undefined;
    failure.times--;
    return failure.message;
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

/** What the program would export for `config`: enough for the bake, status and rollback. */
export function outputsOf(config: StackConfig, version: number): StackOutputs {
  const id = `${config.stage}-${config.region}`;
  const contentHashes: Record<string, string> = { "feature-flags": hash(config.flags) };
  for (const [name, component] of Object.entries(config.components)) contentHashes[name] = hash(component.config);
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
