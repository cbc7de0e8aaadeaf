/**
 * `withVerification(monitor, envs)`: a HealthMonitor whose bakes also run the stage's
 * `verify` checks against every stack of the wave. A failed check makes the bake
 * unhealthy at once, exactly as a firing alarm does, so the core's rollback path is
 * the same; the wrapped monitor keeps deciding when the bake is over.
 */
import * as path from "node:path";
import type { VerifyCheck } from "../config/formats/stage-file";
import type { Envs } from "../config/model";
import { expandUrl, verifyChecksOf } from "../config/verify-rules";
import { systemClock } from "../pipeline/clock";
import type { Clock, HealthMonitor, HealthVerdict, WatchOptions, WatchTarget } from "../pipeline/ports";
import type { CheckRun } from "./check-run";
import { DEFAULT_COMMAND_INTERVAL_SECONDS, runCommandCheck } from "./command-check";
import { DEFAULT_HTTP_INTERVAL_SECONDS, runHttpCheck } from "./http-check";
import { startChecks, type ScheduledCheck } from "./schedule";

export interface VerificationOptions {
  clock?: Clock;
  /** Every finished run, passed or failed: for the JUnit report. */
  onRun?: (run: CheckRun) => void;
  /** Where a command's relative `cwd` starts; default: the parent of envs/. */
  repoRoot?: string;
  /** Between SIGTERM and SIGKILL for a command that is stopped. */
  killGraceMs?: number;
}

export function withVerification(monitor: HealthMonitor, envs: Envs, options: VerificationOptions = {}): HealthMonitor {
  const clock = options.clock ?? systemClock;
  const onRun = options.onRun ?? (() => undefined);
  const repoRoot = options.repoRoot ?? path.dirname(envs.dir);
  const scheduled = (target: WatchTarget): ScheduledCheck[] => {
    const stage = envs.stages.find((s) => s.name === target.stack.stage)?.definition;
    if (stage === undefined) return [];
    const wave = stage.waves.find((w) => w.regions.includes(target.stack.region))?.name ?? "";
    return verifyChecksOf(stage).map((check) => ({
      stage: target.stack.stage,
      wave,
      stack: target.stack.name,
      check: check.name,
      type: check.type,
      intervalMs: intervalSecondsOf(check) * 1000,
      run: runnerFor(check, target, repoRoot, options.killGraceMs),
    }));
  };

  const check = monitor.check?.bind(monitor);
  return {
    async watch(targets: WatchTarget[], watchOptions: WatchOptions): Promise<HealthVerdict> {
      const checks = targets.flatMap(scheduled);
      if (checks.length === 0) return monitor.watch(targets, watchOptions);
      const running = startChecks(checks, clock, onRun);
      const watching = new AbortController();
      const stop = () => {
        watching.abort();
        void running.stop();
      };
      watchOptions.signal?.addEventListener("abort", stop);
      try {
        const watched = monitor.watch(targets, { ...watchOptions, signal: watching.signal });
        // The race handles a rejection of the watch aborted below: it says nothing new.
        const first = await Promise.race([watched, running.failure]);
        if ("check" in first) return unhealthy(first);
        if (!first.healthy) return first;
        // A bake shorter than a check's own run still waits for its first run: a check that never finished proved nothing.
        await running.everyCheckRan;
        return running.failed ? unhealthy(running.failed) : first;
      } finally {
        watchOptions.signal?.removeEventListener("abort", stop);
        watching.abort();
        await running.stop();
      }
    },
    // `dcp status` reads health now; it runs no test suite.
    ...(check && { check }),
  };
}

function unhealthy(run: CheckRun): HealthVerdict {
  return { healthy: false, reasons: [{ stack: run.stack, kind: "check", subject: run.check, detail: run.detail }] };
}

function intervalSecondsOf(check: VerifyCheck): number {
  return check.intervalSeconds ?? (check.type === "http" ? DEFAULT_HTTP_INTERVAL_SECONDS : DEFAULT_COMMAND_INTERVAL_SECONDS);
}

function runnerFor(check: VerifyCheck, target: WatchTarget, repoRoot: string, killGraceMs: number | undefined): ScheduledCheck["run"] {
  const { stage, region, name } = target.stack;
  if (check.type === "http") {
    const url = expandUrl(check.url, { stage, region });
    return (signal) => runHttpCheck(check, url, signal);
  }
  const env = {
    DCP_STAGE: stage,
    DCP_REGION: region,
    DCP_STACK: name,
    DCP_RELEASE_ID: target.outputs.releaseId,
    DCP_OUTPUTS: JSON.stringify(target.outputs),
    DCP_CHECK: check.name,
  };
  // Stryker disable next-line StringLiteral: path.resolve(root, "") is the root as well
  const cwd = path.resolve(repoRoot, check.cwd ?? ".");
  return (signal) => runCommandCheck(check, { cwd, env, signal, killGraceMs });
}
