import type { AlarmReading, DeploymentReading, StackProbe } from "../../../cli/health/aws-probe";
import type { Clock } from "../../../cli/pipeline/ports";

/**
 * What the real monitor (cli/health/watch.ts) reads for one stack: nothing firing and
 * every deployment COMPLETE, until the test says the stack's alarms stop being readable.
 */
export class ScriptedProbe implements StackProbe {
  private unreadable: { from: number; until: number; error: Error } | undefined;

  constructor(private readonly clock: Clock) {}

  /** From `afterMs` on the clock, for `forMs` (default: for good), every read of the alarms fails with `error`. */
  failReads(error: Error, options: { afterMs?: number; forMs?: number } = {}): void {
    const from = this.clock.now() + (options.afterMs ?? 0);
    this.unreadable = { from, until: from + (options.forMs ?? Number.POSITIVE_INFINITY), error };
  }

  async alarms(): Promise<AlarmReading> {
    const now = this.clock.now();
    if (this.unreadable !== undefined && now >= this.unreadable.from && now < this.unreadable.until) throw this.unreadable.error;
    return { firing: [], missing: [] };
  }

  async deployment(): Promise<DeploymentReading> {
    return { state: "COMPLETE" };
  }
}
