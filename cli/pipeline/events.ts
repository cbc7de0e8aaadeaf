/**
 * The typed events the pipeline emits. The terminal reporter draws them; the JSON
 * reporter prints each as one line. Stack names are `<stage>-<region>`.
 */
import type { StageValueDiff } from "./deployed-diff";
import type { HealthReason, PolicyViolation, StageLease } from "./ports";

/** What one stack holds when a run stops early, so that a human knows where things stand. */
export interface StackHolding {
  stack: string;
  /** Undefined when the stack was never released. */
  releaseId?: string;
  /** True when it holds the release this run was rolling out. */
  current: boolean;
  /** Why what it holds is unknown: its history could not be read. */
  unreadable?: string;
}

export type PipelineEvent =
  | { type: "release-started"; workload: string; stages: string[]; dryRun: boolean }
  | { type: "stage-started"; stage: string }
  | { type: "stage-skipped"; stage: string; reason: string }
  /** The values a release of the stage changes against what its stacks run (shown by preview, dry run and approval). */
  | { type: "values-diff"; diff: StageValueDiff }
  | { type: "approval-required"; stage: string; summary?: string }
  | { type: "approved"; stage: string; by: "flag" | "prompt" }
  | { type: "wave-started"; stage: string; wave: string; stacks: string[] }
  | { type: "stack-previewing"; stack: string; releaseId: string }
  | { type: "preview-done"; stack: string; changes: Record<string, number>; violations: number }
  | { type: "policy-violation"; violation: PolicyViolation }
  | { type: "stack-skipped"; stack: string; releaseId: string; reason: string }
  | { type: "stack-updating"; stack: string; releaseId: string; from?: string }
  | { type: "stack-updated"; stack: string; releaseId: string; changes: Record<string, number> }
  | { type: "stack-failed"; stack: string; message: string }
  | { type: "appconfig-deploying"; stack: string; profile: string; deploymentNumber: number }
  | { type: "appconfig-deployed"; stack: string; profile: string; deploymentNumber: number; state: string }
  | { type: "appconfig-stopped"; stack: string; deploymentNumber: number }
  | { type: "profiles-emptied"; stack: string; profiles: string[] }
  | { type: "bake-started"; stage: string; wave: string; minutes: number; stacks?: string[] }
  | { type: "bake-progress"; stage: string; wave: string; elapsedMs: number; totalMs: number }
  | { type: "bake-done"; stage: string; wave: string }
  | { type: "unhealthy"; reasons: HealthReason[]; stage?: string; wave?: string }
  | { type: "rollback-started"; stacks: string[]; reason?: string }
  /** A rollback target was released from another git revision of the program. */
  | { type: "program-revision"; stack: string; gitCommit: string; usingCurrentProgram: boolean }
  | { type: "stack-rolling-back"; stack: string; releaseId: string; from?: string }
  /** `releaseId` is the release the stack holds again. */
  | { type: "rolled-back"; stack: string; releaseId: string; from?: string }
  | { type: "rollback-failed"; stack: string; message: string; holds?: string }
  | { type: "stage-done"; stage: string }
  | { type: "interrupt-requested"; action: "stopping" | "cancelling"; message: string }
  | { type: "interrupted"; stacks: StackHolding[] }
  /** This run holds the stage; `lease.replaced` says whose lease it took over or broke, and why. */
  | { type: "lease-taken"; stage: string; lease: StageLease }
  /** Another run holds the stage: this one is refused. `stale` when its holder stopped renewing it. */
  | { type: "lease-refused"; stage: string; lease: StageLease; stale: boolean }
  /** Another run took over or broke this run's lease (`lease` is theirs): this run stops. */
  | { type: "lease-lost"; stage: string; lease?: StageLease; message: string }
  /** A rollback that took over a live release waits for it to stop, then goes on: "gave-up" when it never confirmed. */
  | { type: "lease-handover"; stage: string; previous: Omit<StageLease, "replaced">; state: "waiting" | "stopped" | "gave-up" }
  /** The lease could not be removed at the end of the run: the next run must break it. */
  | { type: "lease-not-released"; stage: string; message: string }
  | { type: "finished"; exitCode: number; message?: string };

export type PipelineEventType = PipelineEvent["type"];
