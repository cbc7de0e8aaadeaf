/** What one run of a verification check found, as the runner, the monitor and the report share it. */

export type CheckOutcome =
  | { outcome: "passed" | "failed"; detail: string; durationMs: number }
  /** The bake ended or was interrupted mid-run: no finding either way. */
  | { outcome: "aborted" };

export interface CheckRun {
  stage: string;
  wave: string;
  stack: string;
  check: string;
  type: "http" | "command";
  outcome: "passed" | "failed";
  /** e.g. "HTTP 500 from https://… after 123 ms" or "exit 1 after 4.2 s: <last stderr line>" */
  detail: string;
  /** Epoch milliseconds. */
  startedAt: number;
  durationMs: number;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
