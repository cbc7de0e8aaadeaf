/**
 * Which values differ between two resolved configurations, one line per value path,
 * and the same change on several stacks of a stage said once, with its regions.
 */
import { canonicalJson } from "../config/release-id";
import type { ValuePaths } from "../config/value-paths";

/** One value that differs; `from` or `to` is undefined where the path has no value (unset). */
export interface ValueChange {
  path: string;
  from?: unknown;
  to?: unknown;
}

/** A change and the regions it is made in. */
export interface RegionalChange extends ValueChange {
  regions: string[];
}

/** Every path whose value differs (as the JSON AppConfig serves), in `to`'s order, then the paths only `from` has. */
export function valueChanges(from: ValuePaths, to: ValuePaths): ValueChange[] {
  const changes: ValueChange[] = [];
  for (const [path, value] of to) {
    const before = from.get(path);
    if (!from.has(path)) changes.push({ path, to: value });
    else if (canonicalJson(before) !== canonicalJson(value)) changes.push({ path, from: before, to: value });
  }
  for (const [path, value] of from) if (!to.has(path)) changes.push({ path, from: value });
  return changes;
}

/** The changes of each region merged: a change made the same way in several regions is one entry naming them all. */
export function mergeRegions(perRegion: { region: string; changes: ValueChange[] }[]): RegionalChange[] {
  const merged = new Map<string, RegionalChange>();
  for (const { region, changes } of perRegion) {
    for (const change of changes) {
      // canonicalJson leaves an unset side out and writes null: a value set is told apart from one changed from null.
      const key = canonicalJson(change);
      const entry = merged.get(key);
      if (entry !== undefined) entry.regions.push(region);
      else merged.set(key, { ...change, regions: [region] });
    }
  }
  return [...merged.values()];
}
