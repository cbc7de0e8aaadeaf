/**
 * One run per stage: a release or rollback holds the stage's lease in the state backend
 * for the whole of its run of the stage. Pulumi's per-stack lock keeps two updates
 * apart, not two runs: without the lease a second release during the first one's bake
 * would see the release id, skip, and report success for a release the first then
 * rolls back. A lease is never broken silently: a dead holder's lease is broken with
 * `--break-lease "<reason>"`, and a rollback takes over a release's lease (the
 * release notices within seconds and stops) rather than waiting out its bake.
 */
import { randomUUID } from "node:crypto";
import { LeaseLostError, StageLeasedError } from "../errors";
import { messageOf } from "./concurrency";
import { awaitHandover, confirmStopped } from "./lease-handover";
import type { LeaseHolder, LeaseStore, PipelinePorts, StageLease } from "./ports";

/** How often a holder renews its lease, and so how soon it notices a takeover. */
export const LEASE_RENEW_MS = 5_000;
/** A lease not renewed for this long has a dead holder: only then may it be broken. */
export const LEASE_STALE_MS = 60_000;

export interface LeaseRequest {
  stage: string;
  purpose: StageLease["purpose"];
  /** Break the lease of a holder that died, recording why. */
  breakReason?: string;
  /** Ends a wait for a release taken over to stop (Ctrl-C). */
  signal?: AbortSignal;
}

export function leaseRequest(stage: string, purpose: StageLease["purpose"], breakReason: string | undefined, signal?: AbortSignal): LeaseRequest {
  return { stage, purpose, ...(breakReason !== undefined && { breakReason }), ...(signal !== undefined && { signal }) };
}

export interface HeldLease {
  /** Aborted once another run took the lease over or broke it. */
  readonly lost: AbortSignal;
  /** Throws a LeaseLostError naming who took the lease, once it is lost. */
  throwIfLost(): void;
}

type LeasePorts = Pick<PipelinePorts, "clock" | "reporter" | "leases">;

/**
 * Run `work` holding the stage's lease, renewed in the background. Without a request
 * (a dry run) or a lease store, `work` runs without one.
 */
export async function withStageLease<T>(
  request: LeaseRequest | undefined,
  ports: LeasePorts,
  work: (held: HeldLease | undefined) => Promise<T>,
): Promise<T> {
  if (request === undefined || ports.leases === undefined) return work(undefined);
  const holding = await take(request, ports.leases.store, ports.leases.holder, ports);
  let result: T;
  try {
    result = await work(holding);
  } finally {
    await holding.end();
  }
  // Work that finished after a rollback took the stage over is being undone: it did not succeed.
  holding.throwIfLost();
  return result;
}

async function take(request: LeaseRequest, store: LeaseStore, holder: LeaseHolder, ports: LeasePorts): Promise<Holding> {
  const now = new Date(ports.clock.now()).toISOString();
  const mine: StageLease = { id: randomUUID(), stage: request.stage, purpose: request.purpose, holder, since: now, renewedAt: now };
  // A lease replaced or removed between reading it and replacing it is read again, a few times.
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = await store.acquire(mine);
    if (current === undefined) return new Holding(mine, store, ports);
    const next = replacementFor(current, mine, request, store, ports);
    if (!(await store.replace(current, next))) continue;
    // A live release taken over has its updates to finish (a lease is broken only once stale); a dead one has nothing left to stop.
    if (!isStale(current, ports)) await awaitHandover(next, store, ports, request.signal);
    return new Holding(next, store, ports);
  }
  throw new StageLeasedError(`the lease of ${request.stage} in ${store.location} kept changing while this run tried to take it; try again`);
}

/** The lease that may replace `current`, or a refusal naming its holder. */
function replacementFor(current: StageLease, mine: StageLease, request: LeaseRequest, store: LeaseStore, ports: LeasePorts): StageLease {
  const { replaced: _history, ...previous } = current;
  if (request.purpose === "rollback" && current.purpose === "release") {
    return { ...mine, replaced: { how: "taken-over", previous } };
  }
  const quietMs = ports.clock.now() - Date.parse(current.renewedAt);
  const stale = isStale(current, ports);
  if (request.breakReason !== undefined && stale) {
    return { ...mine, replaced: { how: "broken", reason: request.breakReason, previous } };
  }
  ports.reporter.emit({ type: "lease-refused", stage: request.stage, lease: current, stale });
  const held = `${request.stage} is held by ${describeHolder(current)} since ${current.since} (lease in ${store.location}).`;
  const quiet = `Its holder last renewed the lease ${seconds(quietMs)} ago`;
  const how = mine.holder.command.includes("--break-lease") ? `--break-lease "<why>"` : `dcp ${mine.holder.command} --break-lease "<why>"`;
  if (!stale) {
    const breaking = request.breakReason !== undefined ? `: it is alive, and --break-lease breaks only a lease not renewed for ${seconds(LEASE_STALE_MS)}` : "";
    throw new StageLeasedError(
      `${held}\n${quiet}${breaking}. Nothing was changed: wait for that run to finish, or stop it. ` +
        `If its holder dies, the lease can be broken once it has not been renewed for ${seconds(LEASE_STALE_MS)}: ${how}`,
    );
  }
  throw new StageLeasedError(`${held}\n${quiet}: its holder looks dead. Nothing was changed. Check that it is, then break the lease deliberately (the reason is recorded): ${how}`);
}

function isStale(lease: StageLease, ports: LeasePorts): boolean {
  return ports.clock.now() - Date.parse(lease.renewedAt) >= LEASE_STALE_MS;
}

/** A lease this run holds: renewed every few seconds until the run ends, or until another run takes it. */
class Holding implements HeldLease {
  private readonly ended = new AbortController();
  private readonly lostController = new AbortController();
  readonly lost = this.lostController.signal;
  // Stryker disable next-line StringLiteral: read only once the lease is lost, which sets it first
  private lostMessage = "";
  private takenBy: StageLease | undefined;
  private readonly beating: Promise<void>;

  constructor(
    private readonly lease: StageLease,
    private readonly store: LeaseStore,
    private readonly ports: LeasePorts,
  ) {
    ports.reporter.emit({ type: "lease-taken", stage: lease.stage, lease });
    this.beating = this.beat();
  }

  throwIfLost(): void {
    if (this.lost.aborted) throw new LeaseLostError(this.lostMessage);
  }

  async end(): Promise<void> {
    this.ended.abort();
    await this.beating;
    if (!this.lost.aborted) await this.renew().catch(() => undefined);
    if (this.lost.aborted) return confirmStopped(this.lease, this.takenBy, this.store, new Date(this.ports.clock.now()));
    try {
      await this.store.release(this.lease);
    } catch (error) {
      this.ports.reporter.emit({
        type: "lease-not-released",
        stage: this.lease.stage,
        message: `could not remove the lease of ${this.lease.stage} from ${this.store.location}: ${messageOf(error)}; the next run will have to break it with --break-lease`,
      });
    }
  }

  private async beat(): Promise<void> {
    const { clock } = this.ports;
    let renewedAt = clock.now();
    for (;;) {
      try {
        await clock.sleep(LEASE_RENEW_MS, this.ended.signal);
      } catch {
        return;
      }
      try {
        if (!(await this.renew())) return;
        renewedAt = clock.now();
      } catch (error) {
        // Unrenewed this long, the lease may be broken by another run: this one cannot know it still holds the stage.
        if (clock.now() - renewedAt < LEASE_STALE_MS) continue;
        return this.lose(undefined, `could not renew the lease of ${this.lease.stage} for ${seconds(clock.now() - renewedAt)}: ${messageOf(error)}`);
      }
    }
  }

  /** False once the stored lease is another run's (or none). */
  private async renew(): Promise<boolean> {
    const stored = await this.store.renew(this.lease, new Date(this.ports.clock.now()));
    if (stored?.id === this.lease.id) return true;
    this.lose(stored, lossOf(this.lease.stage, stored));
    return false;
  }

  private lose(lease: StageLease | undefined, message: string): void {
    this.takenBy = lease;
    const stopped =
      this.lease.purpose === "release" ? "This run stopped starting work and rolled nothing back." : "`dcp status` shows what each stack holds now.";
    this.lostMessage = `${message}. ${stopped}`;
    this.ports.reporter.emit({ type: "lease-lost", stage: this.lease.stage, ...(lease && { lease }), message });
    this.lostController.abort();
  }
}

function lossOf(stage: string, lease: StageLease | undefined): string {
  if (lease === undefined) return `the lease of ${stage} is gone: a run that took it over or broke it has finished since, or it was removed by hand`;
  const by = describeHolder(lease);
  if (lease.replaced?.how === "taken-over") return `${by} took over ${stage} at ${lease.since}: a rollback decides what the stacks hold now`;
  const why = lease.replaced?.reason !== undefined ? ` ("${lease.replaced.reason}")` : "";
  return `${by} broke this run's lease of ${stage} at ${lease.since}${why}`;
}

export function describeHolder(lease: StageLease): string {
  const { holder } = lease;
  return `\`dcp ${holder.command}\` run by ${holder.who} (pid ${holder.pid}${holder.ciRunUrl !== undefined ? `, ${holder.ciRunUrl}` : ""})`;
}

function seconds(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 120 ? `${s} s` : `${Math.round(s / 60)} min`;
}
