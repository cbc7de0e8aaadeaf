/**
 * The promotion soak guard: a stage with `promotion.minSoakMinutes` takes a changed
 * flag or config value only once that value has run on every stack of the previous
 * stage for that long. The stacks' update histories say since when each runs it.
 */
import type { StackConfig } from "../../infra/stack-config";
import type { Envs, ResolvedStack } from "../config/model";
import { canonicalJson } from "../config/release-id";
import { resolveStacks } from "../config/resolve";
import { UsageError } from "../errors";
import { stackRefOf } from "./plan";
import type { PipelinePorts, ReleaseRecord } from "./ports";

/** One leaf of a StackConfig's flag values or component config, e.g. `flag.saved-cards.enabled`. */
interface Leaf {
  path: string[];
  /** Canonical JSON; undefined when the leaf is absent. */
  value: string | undefined;
}

/** Where a stack of the previous stage stands with one value: since when it has run it without interruption, or why it does not run it now. */
type Holding = { stack: string; since: Date; lacks?: undefined } | { stack: string; since?: undefined; lacks: string };

/** A successful update that applied a StackConfig, with that config's leaves. */
interface Applied {
  record: ReleaseRecord;
  leaves: Map<string, Leaf>;
}

const MINUTE = 60_000;

/**
 * Why `stacks` (the stacks of `stage` a release would update) may not take their new
 * config yet; undefined when every value they change has soaked, or the stage does
 * not ask for a soak.
 */
export async function soakRefusal(
  envs: Envs,
  stage: string,
  stacks: ResolvedStack[],
  ports: Pick<PipelinePorts, "engine" | "clock">,
): Promise<string | undefined> {
  const index = envs.stages.findIndex((s) => s.name === stage);
  const minutes = envs.stages[index]?.definition.promotion?.minSoakMinutes;
  if (minutes === undefined) return undefined;
  const previous = envs.stages[index - 1];
  if (previous === undefined) {
    throw new UsageError(`${stage} sets promotion.minSoakMinutes, but no stage comes before it for a change to soak in`);
  }
  const changed = await changedLeaves(stacks, ports);
  if (changed.length === 0) return undefined;
  const histories = await Promise.all(
    resolveStacks(envs, { stage: previous.name }).map(async (s) => ({ stack: s.name, updates: appliedUpdates(await ports.engine.history(stackRefOf(s))) })),
  );
  const now = ports.clock.now();
  const soakMs = minutes * MINUTE;
  const unsoaked = changed
    .map((leaf) => {
      const holdings = histories.map(({ stack, updates }) => holdingOf(stack, updates, leaf));
      const pending = holdings.filter((h) => h.since === undefined || now - h.since.getTime() < soakMs);
      const leftMs = Math.max(...pending.map((h) => (h.since === undefined ? soakMs : h.since.getTime() + soakMs - now)));
      return { leaf, pending, leftMs };
    })
    .filter((u) => u.pending.length > 0);
  if (unsoaked.length === 0) return undefined;
  const lines = unsoaked.map(({ leaf, pending, leftMs }) => {
    const where = pending.map((h) =>
      h.since === undefined ? `${h.stack} ${h.lacks}` : `${h.stack} only since ${timeOf(h.since)} (${durationOf(now - h.since.getTime())})`,
    );
    return `  ${describeLeaf(leaf)}: ${where.join("; ")}; ${durationOf(leftMs)} left`;
  });
  return [
    `${stage} takes a change only after it ran on every ${previous.name} stack for ${durationOf(soakMs)} (promotion.minSoakMinutes: ${minutes}); ` +
      `${unsoaked.length === 1 ? "this value has" : `${unsoaked.length} values have`} not soaked:`,
    ...lines,
    `Nothing was deployed to ${stage}. Release it later, or override with --skip-soak --reason "…" (the reason is recorded in the release).`,
  ].join("\n");
}

/** The values the release would change on any of `stacks`, compared with what each runs now. */
async function changedLeaves(stacks: ResolvedStack[], ports: Pick<PipelinePorts, "engine">): Promise<Leaf[]> {
  const changed = new Map<string, Leaf>();
  for (const stack of stacks) {
    const before = appliedUpdates(await ports.engine.history(stackRefOf(stack)))[0]?.leaves ?? new Map<string, Leaf>();
    const after = leavesOf(stack.config);
    for (const key of new Set([...before.keys(), ...after.keys()])) {
      const value = after.get(key)?.value;
      if (before.get(key)?.value === value) continue;
      const path = JSON.parse(key) as string[];
      changed.set(JSON.stringify([path, value ?? null]), { path, value });
    }
  }
  return [...changed.values()];
}

/** Walks back from the newest update while each kept the value: the earliest of those is when it went live. */
function holdingOf(stack: string, updates: Applied[], leaf: Leaf): Holding {
  const key = JSON.stringify(leaf.path);
  let since: Date | undefined;
  for (const { record, leaves } of updates) {
    if (leaves.get(key)?.value !== leaf.value) break;
    since = record.endedAt ?? record.startedAt;
  }
  if (since !== undefined) return { stack, since };
  const newest = updates[0];
  if (newest === undefined) return { stack, lacks: "has never been released" };
  const runs = newest.leaves.get(key)?.value;
  return { stack, lacks: runs === undefined ? "does not set it" : `runs ${runs}` };
}

/**
 * The successful updates that applied a StackConfig, newest first, up to the last
 * destroy: what the stack has run, and since when.
 */
function appliedUpdates(records: ReleaseRecord[]): Applied[] {
  const updates: Applied[] = [];
  for (const record of records) {
    if (record.result !== "succeeded") continue;
    if (record.kind === "destroy") break;
    if (record.config !== undefined) updates.push({ record, leaves: leavesOf(record.config) });
  }
  return updates;
}

/** Flag values and component config, leaf by leaf (arrays are one leaf), keyed by their JSON path. */
function leavesOf(config: StackConfig): Map<string, Leaf> {
  const leaves = new Map<string, Leaf>();
  const walk = (value: unknown, path: string[]) => {
    if (value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0) {
      for (const [key, child] of Object.entries(value)) walk(child, [...path, key]);
    } else if (value !== undefined) {
      leaves.set(JSON.stringify(path), { path, value: canonicalJson(value) });
    }
  };
  for (const [name, flag] of Object.entries(config.flags)) walk(flag.value, ["flag", name]);
  for (const [name, component] of Object.entries(config.components)) walk(component.config, ["config", name]);
  return leaves;
}

function describeLeaf(leaf: Leaf): string {
  const [kind, ...rest] = leaf.path;
  return `${kind} ${rest.join(".")} = ${leaf.value ?? "(removed)"}`;
}

function timeOf(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

function durationOf(ms: number): string {
  const minutes = Math.ceil(ms / MINUTE);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}
