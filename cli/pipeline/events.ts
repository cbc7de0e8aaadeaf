/**
 * The typed events the pipeline emits. The terminal reporter draws them; the JSON
 * reporter prints each as one line. Refine and add kinds here as the core grows.
 */
import type { HealthReason, PolicyViolation } from "./ports";

export type PipelineEvent =
  | { type: "stage-started"; stage: string }
  | { type: "approval-required"; stage: string }
  | { type: "wave-started"; stage: string; wave: string; stacks: string[] }
  | { type: "preview-done"; stack: string; changes: Record<string, number>; violations: number }
  | { type: "policy-violation"; violation: PolicyViolation }
  | { type: "stack-skipped"; stack: string; releaseId: string; reason: string }
  | { type: "stack-updating"; stack: string; releaseId: string }
  | { type: "stack-updated"; stack: string; releaseId: string; changes: Record<string, number> }
  | { type: "stack-failed"; stack: string; message: string }
  | { type: "bake-started"; stage: string; wave: string; minutes: number }
  | { type: "bake-progress"; stage: string; wave: string; elapsedMs: number; totalMs: number }
  | { type: "bake-done"; stage: string; wave: string }
  | { type: "unhealthy"; reasons: HealthReason[] }
  | { type: "rollback-started"; stacks: string[] }
  | { type: "rolled-back"; stack: string; releaseId: string }
  | { type: "rollback-failed"; stack: string; message: string }
  | { type: "stage-done"; stage: string }
  | { type: "finished"; exitCode: number; message?: string };
