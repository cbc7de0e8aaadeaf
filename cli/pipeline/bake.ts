import type { PlannedWave } from "./plan";
import type { HealthVerdict, PipelinePorts, WatchTarget } from "./ports";
import { messageOf } from "./concurrency";

const MINUTE_MS = 60_000;
/**
 * How long past the bake (or the AppConfig rollout, when longer) the monitor may
 * stay silent before the core stops trusting it: a monitor that never answers must
 * not hold a release forever, nor let it pass.
 */
export const MONITOR_DEADLINE_MARGIN_MS = 15 * MINUTE_MS;

export type BakeOutcome = HealthVerdict | { interrupted: true };

/**
 * Watch the wave's stacks for the wave's bake time. Anything but a healthy verdict
 * is unhealthy: a monitor that throws or stays silent past its deadline fails the bake.
 */
export async function bake(
  wave: PlannedWave,
  targets: WatchTarget[],
  ports: Pick<PipelinePorts, "health" | "clock" | "reporter">,
  stopping?: AbortSignal,
): Promise<BakeOutcome> {
  const { health, clock, reporter } = ports;
  const durationMs = wave.bakeMinutes * MINUTE_MS;
  const stacks = targets.map((t) => t.stack.name);
  reporter.emit({ type: "bake-started", stage: wave.stage, wave: wave.name, minutes: wave.bakeMinutes, stacks });
  const deadlineMs = Math.max(durationMs, ...targets.map(rolloutMs)) + MONITOR_DEADLINE_MARGIN_MS;
  // The watch and the deadline end with the bake, or at once when the release is stopping.
  const watching = new AbortController();
  const signal = AbortSignal.any([watching.signal, stopping].filter((s) => s !== undefined));
  let verdict: HealthVerdict;
  try {
    verdict = await Promise.race([
      health.watch(targets, {
        durationMs,
        signal,
        onProgress: (elapsedMs, totalMs) =>
          reporter.emit({ type: "bake-progress", stage: wave.stage, wave: wave.name, elapsedMs, totalMs }),
      }),
      clock.sleep(deadlineMs, signal).then(() => silentMonitor(stacks, deadlineMs)),
    ]);
  } catch (error) {
    if (stopping?.aborted) return { interrupted: true };
    verdict = {
      healthy: false,
      reasons: stacks.map((stack) => ({ stack, kind: "monitoring", subject: "health monitor", detail: messageOf(error) })),
    };
  } finally {
    watching.abort();
  }
  if (stopping?.aborted && verdict.healthy) return { interrupted: true };
  if (verdict.healthy) reporter.emit({ type: "bake-done", stage: wave.stage, wave: wave.name });
  else reporter.emit({ type: "unhealthy", stage: wave.stage, wave: wave.name, reasons: verdict.reasons });
  return verdict;
}

/** How long AppConfig takes to deploy one profile to the stack: its strategy's rollout and final bake. */
export function rolloutMs(target: WatchTarget): number {
  const { durationMinutes, finalBakeMinutes } = target.config.rollout;
  return (durationMinutes + finalBakeMinutes) * MINUTE_MS;
}

function silentMonitor(stacks: string[], deadlineMs: number): HealthVerdict {
  const detail = `the health monitor gave no verdict within ${Math.round(deadlineMs / MINUTE_MS)} minutes`;
  return { healthy: false, reasons: stacks.map((stack) => ({ stack, kind: "monitoring", subject: "health monitor", detail })) };
}
