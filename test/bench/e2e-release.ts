/**
 * The real engine's cost, from one release of the e2e fixture to prod (zero bakes) on the
 * local AWS: each stack's preview + up from the release's own events, and how close the
 * whole release comes to its critical path (the slowest stack of each wave, wave after wave).
 */
import { ScratchRepo } from "../e2e/harness/scratch-repo";
import { stopWorld, world } from "../e2e/harness/world";

type Event = { type: string; time?: string } & Record<string, unknown>;

const at = (event: Event | undefined): number => (event?.time ? Date.parse(event.time) : NaN);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Seconds of preview + up per stack, from the events that bracket them. */
function stackSeconds(events: Event[]): Map<string, number> {
  const started = new Map<string, number>();
  const spent = new Map<string, number>();
  for (const event of events) {
    const stack = String(event["stack"]);
    if (event.type === "stack-previewing" || event.type === "stack-updating") started.set(stack, at(event));
    if (event.type === "preview-done" || event.type === "stack-updated") {
      spent.set(stack, (spent.get(stack) ?? 0) + (at(event) - (started.get(stack) ?? NaN)) / 1000);
    }
  }
  return spent;
}

export async function benchE2eRelease(): Promise<Record<string, number>> {
  try {
    const repo = ScratchRepo.create(await world(), `bench-${Date.now()}`);
    const run = await repo.dcp(["release", "--to", "prod", "--approve", "--json"]);
    if (run.status !== 0) throw new Error(`the release exited ${run.status}: ${run.stderr}${run.stdout.slice(-2000)}`);
    const events = run.events as Event[];
    const perStack = stackSeconds(events);
    const criticalPath = events
      .filter((event) => event.type === "wave-started")
      .map((wave) => Math.max(...(wave["stacks"] as string[]).map((stack) => perStack.get(stack) ?? NaN)))
      .reduce((sum, seconds) => sum + seconds, 0);
    const releaseSeconds = (at(events.find((e) => e.type === "finished")) - at(events.find((e) => e.type === "release-started"))) / 1000;
    return {
      "e2e-stack-update-s": Number(median([...perStack.values()]).toFixed(1)),
      "e2e-release-prod-s": Number(releaseSeconds.toFixed(1)),
      "e2e-release-critical-path-ratio": Number((releaseSeconds / criticalPath).toFixed(2)),
    };
  } finally {
    await stopWorld();
  }
}
