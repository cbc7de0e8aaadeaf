/**
 * The ports the pipeline core talks to. The core imports no AWS or Pulumi module:
 * adapters in cli/engine and cli/health implement these for real, in-memory fakes
 * in test/ implement them for the specifications.
 */
import type { StackConfig } from "../../infra/stack-config";
import type { StackOutputs } from "../../infra/outputs";
import type { PipelineEvent } from "./events";

/** One Pulumi stack: one stage × one region. */
export interface StackRef {
  stage: string;
  region: string;
  /** `<stage>-<region>` */
  name: string;
}

/** The engine reports these (the SDK's type says "warning" for advisory: both are accepted at the boundary). */
export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

export interface PolicyViolation {
  stack: string;
  policy: string;
  level: EnforcementLevel;
  /** URN or `type::name` of the offending resource, when the policy names one. */
  resource?: string;
  message: string;
}

/** Policy pack configuration for one stage, generated from envs/ (the same that `dcp validate` uses). */
export type PolicyPackConfig = Record<string, unknown>;

export interface EngineOptions {
  policyConfig: PolicyPackConfig;
  /** Progress lines from the engine, for spinners and logs. */
  onProgress?: (message: string) => void;
  signal?: AbortSignal;
  /**
   * Run the program as it was at this git revision (from a temporary worktree) rather
   * than the working copy: a rollback re-applies an old StackConfig, which must meet
   * the program that was written for it. Absent: the current program.
   */
  programRevision?: string;
}

export interface PreviewResult {
  stack: string;
  /** Resource operation counts, e.g. { create: 3, update: 1, same: 20 }. */
  changes: Record<string, number>;
  violations: PolicyViolation[];
}

export interface UpResult {
  stack: string;
  changes: Record<string, number>;
  outputs: StackOutputs;
}

/** One entry of a stack's update history, newest first. */
export interface ReleaseRecord {
  /** The engine's update number. */
  version: number;
  kind: string;
  result: "succeeded" | "failed" | "in-progress";
  startedAt: Date;
  endedAt?: Date;
  /** The StackConfig dcp applied in that update, when dcp made it. */
  config?: StackConfig;
  /** Who and what made the update: git author/committer, CI system, git head. */
  environment: Record<string, string>;
}

export interface DriftedResource {
  urn: string;
  type: string;
  /** Properties whose live value differs from the last release. */
  properties: string[];
  /** The recorded and live values of those properties, where the engine reported them. */
  diffs?: PropertyChange[];
}

export interface PropertyChange {
  /** A property path as the engine names it, e.g. `content` or `tags.stage`. */
  property: string;
  /** As the last release left it. */
  old?: unknown;
  /** As it is live now. */
  new?: unknown;
}

export interface Engine {
  /** Preview an update of the stack to `config`, with the policy pack; nothing changes. */
  preview(stack: StackRef, config: StackConfig, options: EngineOptions): Promise<PreviewResult>;
  /** Update the stack to `config`. Throws DeploymentError or StackLockedError. */
  up(stack: StackRef, config: StackConfig, options: EngineOptions): Promise<UpResult>;
  /** The stack's current outputs; undefined when it was never released. */
  outputs(stack: StackRef): Promise<StackOutputs | undefined>;
  /** The stack's update history, newest first; empty when it was never released. */
  history(stack: StackRef): Promise<ReleaseRecord[]>;
  /** Compare live resources with the stack's state without changing either. */
  refresh(stack: StackRef, options: { signal?: AbortSignal }): Promise<DriftedResource[]>;
  /**
   * Make the program at a git revision ready to run (see `EngineOptions.programRevision`),
   * or refuse it: a revision that is not on the main branch (UsageError), one this clone
   * lacks or whose program does not build (DeploymentError). Changes no stack.
   */
  prepareProgram(revision: string): Promise<void>;
}

export interface WatchTarget {
  stack: StackRef;
  config: StackConfig;
  outputs: StackOutputs;
}

export interface HealthReason {
  stack: string;
  kind: "alarm" | "deployment" | "monitoring" | "check";
  /** The alarm, deployment or check concerned. */
  subject: string;
  detail: string;
}

export type HealthVerdict = { healthy: true } | { healthy: false; reasons: HealthReason[] };

export interface WatchOptions {
  durationMs: number;
  signal?: AbortSignal;
  onProgress?: (elapsedMs: number, totalMs: number) => void;
}

export interface HealthMonitor {
  /**
   * Watch the stacks for `durationMs` (and until their AppConfig deployments have
   * completed); resolve unhealthy as soon as anything is wrong. Monitoring that
   * cannot be read for longer than a grace period is unhealthy, never healthy.
   */
  watch(targets: WatchTarget[], options: WatchOptions): Promise<HealthVerdict>;
  /** The health right now, without waiting for anything (for `dcp status`). */
  check?(targets: WatchTarget[]): Promise<HealthVerdict>;
}

export interface DeploymentStatus {
  /** AppConfig's DeploymentState: DEPLOYING, BAKING, COMPLETE, ROLLED_BACK, REVERTED … */
  state: string;
  /** Why AppConfig stopped or rolled it back, when it says. */
  detail?: string;
}

/**
 * What dcp does in AppConfig beside the engine: the program's resources cannot wait for
 * a deployment, stop one, or empty a profile of the versions it retains.
 */
export interface DeploymentControl {
  /** One deployment of the stack's environment, now. */
  status(target: WatchTarget, deploymentNumber: number, signal?: AbortSignal): Promise<DeploymentStatus>;
  /**
   * Stop the deployment in progress in the stack's environment, if there is one: AppConfig
   * serves its profile's previous version again. Resolves with the deployment's number.
   */
  stopInProgress(target: WatchTarget): Promise<number | undefined>;
  /** Delete every hosted configuration version of these profiles, so that the engine can delete the profiles. */
  deleteHostedVersions(target: WatchTarget, profileIds: string[]): Promise<void>;
}

export interface Approver {
  /** Ask whether `stage` may be released; false means no. */
  approve(stage: string, summary: string): Promise<boolean>;
}

export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects with an AbortError when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface Reporter {
  emit(event: PipelineEvent): void;
}

/** Who runs a stage: kept in the stage's lease so that a refused run can name them. */
export interface LeaseHolder {
  /** `user@host` */
  who: string;
  pid: number;
  /** The dcp command line, e.g. `release --to prod --approve`. */
  command: string;
  /** The CI run, when dcp runs in CI. */
  ciRunUrl?: string;
}

/** How a lease came to replace another: a rollback taking over a release, or a deliberate break. */
export interface LeaseReplacement {
  how: "taken-over" | "broken";
  /** Why the lease was broken (`--break-lease`). */
  reason?: string;
  /** The lease replaced, without its own history. */
  previous: Omit<StageLease, "replaced">;
  /** ISO time the run taken over confirmed it had stopped (its stack updates over). */
  stoppedAt?: string;
}

/** One run's hold on a stage, kept in the state backend: at most one per stage. */
export interface StageLease {
  /** Unique per acquisition: tells a holder whether the stored lease is still its own. */
  id: string;
  stage: string;
  purpose: "release" | "rollback";
  holder: LeaseHolder;
  /** ISO time the lease was taken. */
  since: string;
  /** ISO time its holder last renewed it, as the store records it. */
  renewedAt: string;
  replaced?: LeaseReplacement;
}

/**
 * Where stage leases live (next to the stack state). Of two runs acquiring one stage's
 * lease at once exactly one wins; the others are shown the winner's lease.
 */
export interface LeaseStore {
  /** Where the leases are kept, for messages. */
  readonly location: string;
  /** Store `lease` unless the stage has one; undefined when stored, else the stage's current lease. */
  acquire(lease: StageLease): Promise<StageLease | undefined>;
  /** Record that `lease`'s holder is alive at `at`; the stage's stored lease afterwards, another one when it was replaced. */
  renew(lease: StageLease, at: Date): Promise<StageLease | undefined>;
  /** Put `next` in place of `previous`; false when `previous` is no longer the stored lease. */
  replace(previous: StageLease, next: StageLease): Promise<boolean>;
  /** Remove `lease` if it is still the stored one. */
  release(lease: StageLease): Promise<void>;
}

/** Everything the release, rollback and status algorithms need from the outside world. */
export interface PipelinePorts {
  engine: Engine;
  health: HealthMonitor;
  deployments: DeploymentControl;
  reporter: Reporter;
  clock: Clock;
  /** Absent where nobody can be asked (no TTY, --json): a manual stage then needs --approve. */
  approver?: Approver;
  /** Stage leases and who this run is; absent where the backend keeps none. */
  leases?: { store: LeaseStore; holder: LeaseHolder };
}
