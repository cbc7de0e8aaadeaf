import type { Clock, HealthMonitor, HealthReason, HealthVerdict, WatchOptions, WatchTarget } from "../../../cli/pipeline/ports";

interface Cue {
  stack: string;
  alarm: string;
  /** Milliseconds into a watch of the stack. */
  afterMs: number;
  /** Watches of the stack to skip before this cue applies: 1 fires in the second bake that includes it. */
  skipWatches: number;
}

/**
 * A HealthMonitor that plays back the verdicts a test scripts: alarms that fire some
 * time into a bake, polled on the given clock. It has no rules of its own: how
 * unreadable monitoring becomes a verdict (the grace period) is the real adapter's,
 * cli/health/watch.ts, which test/health and the scenario with a ScriptedProbe exercise.
 */
export class FakeHealthMonitor implements HealthMonitor {
  readonly watches: { stacks: string[]; durationMs: number }[] = [];
  private readonly alarms: Cue[] = [];
  private readonly watchCounts = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly pollMs = 60_000,
  ) {}

  fireAlarm(stack: string, alarm: string, options: { afterMs?: number; skipWatches?: number } = {}): void {
    this.alarms.push({ stack, alarm, afterMs: options.afterMs ?? 60_000, skipWatches: options.skipWatches ?? 0 });
  }

  async watch(targets: WatchTarget[], options: WatchOptions): Promise<HealthVerdict> {
    const stacks = targets.map((t) => t.stack.name);
    this.watches.push({ stacks, durationMs: options.durationMs });
    const rounds = new Map(stacks.map((s) => [s, this.watchCounts.get(s) ?? 0]));
    for (const s of stacks) this.watchCounts.set(s, (rounds.get(s) ?? 0) + 1);
    let elapsed = 0;
    for (;;) {
      const reasons = this.reasonsAt(stacks, elapsed, rounds);
      if (reasons.length > 0) return { healthy: false, reasons };
      if (elapsed >= options.durationMs) return { healthy: true };
      const step = Math.min(this.pollMs, options.durationMs - elapsed);
      await this.clock.sleep(step, options.signal);
      elapsed += step;
      options.onProgress?.(elapsed, options.durationMs);
    }
  }

  async check(targets: WatchTarget[]): Promise<HealthVerdict> {
    const stacks = targets.map((t) => t.stack.name);
    const reasons = this.reasonsAt(stacks, Number.POSITIVE_INFINITY, new Map());
    return reasons.length > 0 ? { healthy: false, reasons } : { healthy: true };
  }

  private reasonsAt(stacks: string[], elapsed: number, rounds: Map<string, number>): HealthReason[] {
    return this.alarms
      .filter((a) => stacks.includes(a.stack) && elapsed >= a.afterMs && (rounds.get(a.stack) ?? 0) >= a.skipWatches)
      .map((a): HealthReason => ({ stack: a.stack, kind: "alarm", subject: a.alarm, detail: "in ALARM" }));
  }
}
