import type { LeaseHolder, LeaseStore, StageLease } from "../../../cli/pipeline/ports";

/** A LeaseStore in memory, honouring the port's contract: one lease per stage, replaced only if still the one read. */
export class InMemoryLeaseStore implements LeaseStore {
  readonly location = "memory://leases";
  private readonly leases = new Map<string, StageLease>();

  async acquire(lease: StageLease): Promise<StageLease | undefined> {
    const current = this.leases.get(lease.stage);
    if (current !== undefined) return current;
    this.leases.set(lease.stage, lease);
    return undefined;
  }

  async renew(lease: StageLease, at: Date): Promise<StageLease | undefined> {
    const current = this.leases.get(lease.stage);
    if (current?.id === lease.id) this.leases.set(lease.stage, { ...current, renewedAt: at.toISOString() });
    return this.leases.get(lease.stage);
  }

  async replace(previous: StageLease, next: StageLease): Promise<boolean> {
    if (this.leases.get(previous.stage)?.id !== previous.id) return false;
    this.leases.set(next.stage, next);
    return true;
  }

  async release(lease: StageLease): Promise<void> {
    if (this.leases.get(lease.stage)?.id === lease.id) this.leases.delete(lease.stage);
  }

  of(stage: string): StageLease | undefined {
    return this.leases.get(stage);
  }

  /** A lease left behind by a run that died `agoMs` before `now`. */
  leftBehind(stage: string, holder: LeaseHolder, now: number, agoMs: number): StageLease {
    const at = new Date(now - agoMs).toISOString();
    const lease: StageLease = { id: `dead-${stage}`, stage, purpose: "release", holder, since: at, renewedAt: at };
    this.leases.set(stage, lease);
    return lease;
  }
}

export const laptop: LeaseHolder = { who: "ada@laptop", pid: 4242, command: "release --to beta" };
export const ciRunner: LeaseHolder = { who: "runner@ci-7", pid: 77, command: "release --to prod --approve", ciRunUrl: "https://github.com/acme/storefront/actions/runs/4711" };
export const oncall: LeaseHolder = { who: "oncall@desk", pid: 911, command: "rollback beta" };
