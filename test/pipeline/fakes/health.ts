import type { Clock, HealthMonitor, HealthReason, HealthVerdict, WatchOptions, WatchTarget } from "../../../cli/pipeline/ports";

interface Cue {
  stack: string;
  /** Milliseconds into a watch of the stack. */
  afterMs: number;
  /** Watches of the stack to skip before this cue applies: 1 fires in the second bake that includes it. */
  skipWatches: number;
}

/**
 * A HealthMonitor that polls on the given clock and reports what the test scripted:
 * alarms that fire some time into a bake, and monitoring that stops answering,
 * which beyond the grace period is unhealthy, as the real adapter must treat it.
 */
export class FakeHealthMonitor implements HealthMonitor {
  readonly watches: { stacks: string[]; durationMs: number }[] = [];
  private readonly alarms: (Cue & { alarm: string })[] = [];
  private readonly unreadable: Cue[] = [];
  private readonly watchCounts = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly settings: { pollMs: number; graceMs: number } = { pollMs: 60_000, graceMs: 5 * 60_000 },
  ) {}

  fireAlarm(stack: string, alarm: string, options: { afterMs?: number; skipWatches?: number } = {}): void {
    this.alarms.push({ stack, alarm, afterMs: options.afterMs ?? 60_000, skipWatches: options.skipWatches ?? 0 });
  }

  stopAnswering(stack: string, options: { afterMs?: number } = {}): void {
    this.unreadable.push({ stack, afterMs: options.afterMs ?? 0, skipWatches: 0 });
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
      // Without a reading there is no verdict: the bake goes on until the grace period runs out.
      const unread = this.unreadable.some((u) => stacks.includes(u.stack) && elapsed >= u.afterMs);
      if (elapsed >= options.durationMs && !unread) return { healthy: true };
      const step = elapsed >= options.durationMs ? this.settings.pollMs : Math.min(this.settings.pollMs, options.durationMs - elapsed);
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
    const due = (cue: Cue, after: number) => stacks.includes(cue.stack) && elapsed >= after && (rounds.get(cue.stack) ?? 0) >= cue.skipWatches;
    const alarms = this.alarms
      .filter((a) => due(a, a.afterMs))
      .map((a): HealthReason => ({ stack: a.stack, kind: "alarm", subject: a.alarm, detail: "in ALARM" }));
    const silent = this.unreadable
      .filter((u) => due(u, u.afterMs + this.settings.graceMs + 1))
      .map((u): HealthReason => ({
        stack: u.stack,
        kind: "monitoring",
        subject: "CloudWatch",
        detail: `alarms unreadable for longer than the ${this.settings.graceMs / 60_000}-minute grace period`,
      }));
    return [...alarms, ...silent];
  }
}
