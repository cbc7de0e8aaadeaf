/**
 * Value diffs for a person: one line per value, `<path>  <from> → <to>`, paths aligned;
 * changes made in only some regions (stacks) under a heading naming them.
 */
import { summariseStage, type StageValueDiff, type StackValueDiff } from "../pipeline/deployed-diff";
import type { StageChange } from "../pipeline/stage-diff";
import type { ValueChange } from "../pipeline/value-diff";
import { dim } from "./style";

type Stream = NodeJS.WriteStream;

/** How a value reads in a diff: strings bare unless they would be mistaken, lists and objects as JSON. */
export function formatValue(value: unknown): string {
  if (value === undefined) return "(unset)";
  if (typeof value === "string" && /^[^\s"]+$/.test(value) && !/^(true|false|null|-?[0-9.]+)$/.test(value)) return value;
  return JSON.stringify(value);
}

export function changeLines(changes: ValueChange[], indent = ""): string[] {
  const width = Math.max(0, ...changes.map((c) => c.path.length));
  return changes.map((c) => `${indent}${c.path.padEnd(width)}  ${formatValue(c.from)} → ${formatValue(c.to)}`);
}

/** Changes grouped by the regions they are made in, those made everywhere (no regions) first. */
export function byRegions<C extends ValueChange & { regions?: string[] }>(changes: C[]): { regions?: string[]; changes: C[] }[] {
  const groups = new Map<string, { regions?: string[]; changes: C[] }>();
  for (const change of changes) {
    const key = change.regions?.join(", ") ?? "";
    const group = groups.get(key) ?? { ...(change.regions !== undefined && { regions: change.regions }), changes: [] };
    group.changes.push(change);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => (a.regions === undefined ? -1 : b.regions === undefined ? 1 : 0));
}

/** `dcp diff --from A --to B`. */
export function renderStageDiff(from: string, to: string, changes: StageChange[], stream: Stream = process.stdout): string {
  if (changes.length === 0) return `${from} → ${to}: no value differs`;
  const lines = [`${from} → ${to}: ${changes.length} value${changes.length === 1 ? "" : "s"} differ${changes.length === 1 ? "s" : ""}`];
  for (const group of byRegions(changes)) {
    if (group.regions !== undefined) lines.push("", dim(`in ${to} ${group.regions.join(", ")} only:`, stream));
    lines.push(...changeLines(group.changes, group.regions !== undefined ? "  " : ""));
  }
  return lines.join("\n");
}

/** What a release of one stage would change against what its stacks run, each change once with its stacks. */
export function renderStageValueDiff(summary: StageValueDiff, stream: Stream = process.stdout): string {
  const stacks = (regions: string[]) => regions.map((r) => `${summary.stage}-${r}`).join(", ");
  const lines: string[] = [];
  for (const group of byRegions(summary.changes)) {
    lines.push(`${stacks(group.regions ?? [])}:`, ...changeLines(group.changes, "  "));
  }
  if (summary.neverReleased.length > 0) lines.push(`${stacks(summary.neverReleased)}: ${dim("never released; a release deploys every value", stream)}`);
  if (summary.unchanged.length > 0) lines.push(`${stacks(summary.unchanged)}: ${dim("no change", stream)}`);
  return lines.join("\n");
}

/** `dcp diff --stage S`. */
export function renderDeployedDiff(stage: string, diffs: StackValueDiff[], stream: Stream = process.stdout): string {
  const unfinished = diffs.filter((d) => d.unfinished).map((d) => d.stack);
  const note = unfinished.length > 0 ? [`note: an update of ${unfinished.join(", ")} failed or never finished after its last release; part of it may be live too`] : [];
  return [renderStageValueDiff(summariseStage(stage, diffs), stream), ...note].join("\n");
}

/** `--json` of `diff --from --to`: absent values as null. */
export function stageDiffAsJson(changes: StageChange[]): { path: string; from: unknown; to: unknown; regions?: string[] }[] {
  return changes.map((c) => ({ path: c.path, from: c.from ?? null, to: c.to ?? null, ...(c.regions !== undefined && { regions: c.regions }) }));
}

/** `--json` of `diff --stage`: a stack each, absent values as null. */
export function deployedDiffAsJson(diffs: StackValueDiff[]): unknown[] {
  return diffs.map((d) => ({ ...d, changes: d.changes.map((c) => ({ path: c.path, from: c.from ?? null, to: c.to ?? null })) }));
}
