/**
 * A rollback that takes over a live release's lease waits for the release to stop before
 * it updates anything. A release caught in a stack update lets that update finish (a
 * half-applied update is worse than a finished one), and the rollback's own update of
 * the stack would meet Pulumi's stack lock meanwhile. The release confirms in the
 * rollback's lease that it has stopped; one that does not confirm within
 * LEASE_HANDOVER_MS (it died mid-update) is waited for no longer.
 */
import { InterruptedError } from "../errors";
import type { LeaseStore, PipelinePorts, StageLease } from "./ports";

export const LEASE_HANDOVER_MS = 5 * 60_000;
/** How often the rollback looks for the confirmation, renewing its lease as it does. */
const HANDOVER_POLL_MS = 2_000;

type HandoverPorts = Pick<PipelinePorts, "clock" | "reporter">;

/** Wait, holding `lease`, until the run it took over has stopped (or the wait is over). */
export async function awaitHandover(lease: StageLease, store: LeaseStore, ports: HandoverPorts, signal?: AbortSignal): Promise<void> {
  const { clock, reporter } = ports;
  const previous = lease.replaced?.previous;
  if (previous === undefined) return;
  const deadline = clock.now() + LEASE_HANDOVER_MS;
  reporter.emit({ type: "lease-handover", stage: lease.stage, previous, state: "waiting" });
  while (clock.now() < deadline) {
    try {
      await clock.sleep(HANDOVER_POLL_MS, signal);
    } catch {
      await store.release(lease);
      throw new InterruptedError(`interrupted while waiting for the release of ${lease.stage} to stop; nothing was rolled back.`);
    }
    const stored = await store.renew(lease, new Date(clock.now()));
    if (stored?.id === lease.id && stored.replaced?.stoppedAt !== undefined) {
      reporter.emit({ type: "lease-handover", stage: lease.stage, previous, state: "stopped" });
      return;
    }
  }
  reporter.emit({ type: "lease-handover", stage: lease.stage, previous, state: "gave-up" });
}

/** Tell the run that took `mine` over that this one has stopped: its stack updates are over. */
export async function confirmStopped(mine: StageLease, taker: StageLease | undefined, store: LeaseStore, at: Date): Promise<void> {
  if (taker?.replaced?.how !== "taken-over" || taker.replaced.previous.id !== mine.id) return;
  await store.replace(taker, { ...taker, renewedAt: at.toISOString(), replaced: { ...taker.replaced, stoppedAt: at.toISOString() } }).catch(() => undefined);
}
