/**
 * Repeats every check of a bake at its own interval, all concurrently: a slow check
 * delays only its own next run, never another check nor the bake. A check never
 * overlaps itself: when a run outlasts the interval, the next starts when it ends.
 */
import { setMaxListeners } from "node:events";
import type { Clock } from "../pipeline/ports";
import type { CheckOutcome, CheckRun } from "./check-run";

export interface ScheduledCheck {
  stage: string;
  wave: string;
  stack: string;
  check: string;
  type: CheckRun["type"];
  intervalMs: number;
  run(signal: AbortSignal): Promise<CheckOutcome>;
}

export interface RunningChecks {
  /** Resolves with the first failed run; stays pending while every run passes. */
  readonly failure: Promise<CheckRun>;
  /** The first failed run so far, if any. */
  readonly failed: CheckRun | undefined;
  /** Resolves once every check has finished a run, or failed, or was stopped. */
  readonly everyCheckRan: Promise<void>;
  /** Aborts the runs in flight and resolves once every one has ended (its processes gone). */
  stop(): Promise<void>;
}

export function startChecks(checks: ScheduledCheck[], clock: Clock, onRun: (run: CheckRun) => void): RunningChecks {
  const stopping = new AbortController();
  // Every check's wait and request listens to this one signal: many listeners is the design, not a leak.
  setMaxListeners(Math.max(10, 4 * checks.length), stopping.signal);
  let failed: CheckRun | undefined;
  let reportFailure: (run: CheckRun) => void = () => undefined;
  const failure = new Promise<CheckRun>((resolve) => (reportFailure = resolve));
  // Stryker disable next-line ArrayDeclaration: Promise.all takes a non-promise element as already resolved
  const firstRuns: Promise<void>[] = [];
  const loops = checks.map((check) => {
    let ranOnce: () => void = () => undefined;
    firstRuns.push(new Promise<void>((resolve) => (ranOnce = resolve)));
    const record = (run: CheckRun) => {
      onRun(run);
      if (run.outcome === "failed" && failed === undefined) {
        failed = run;
        reportFailure(run);
      }
      ranOnce();
    };
    // A loop stopped before its first run ends its wait too.
    return repeat(check, clock, stopping.signal, record).finally(ranOnce);
  });
  return {
    failure,
    get failed() {
      return failed;
    },
    everyCheckRan: Promise.all(firstRuns).then(() => undefined),
    stop: async () => {
      stopping.abort();
      await Promise.all(loops);
    },
  };
}

async function repeat(check: ScheduledCheck, clock: Clock, signal: AbortSignal, record: (run: CheckRun) => void): Promise<void> {
  while (!signal.aborted) {
    const startedAt = clock.now();
    const result = await check.run(signal).catch((error: unknown): CheckOutcome => ({
      outcome: "failed",
      detail: `the check could not run: ${error instanceof Error ? error.message : String(error)}`,
      durationMs: clock.now() - startedAt,
    }));
    if (result.outcome === "aborted") return;
    const { stage, wave, stack, type } = check;
    record({ stage, wave, stack, check: check.check, type, outcome: result.outcome, detail: result.detail, startedAt, durationMs: result.durationMs });
    if (result.outcome === "failed") return;
    // Only an abort ends the wait early; the loop's condition then ends the loop.
    await clock.sleep(Math.max(0, startedAt + check.intervalMs - clock.now()), signal).catch(() => undefined);
  }
}
