import type { DiffResult } from "./diff";
import { decodeNested, type Props, type Value } from "./values";

/**
 * Provider arguments whose change replaces the provider, and with it every resource it manages
 * (the bridge's `ForcesProviderReplace`). pulumi-aws marks the region so: a stack's resources
 * cannot move to another region in place.
 */
const FORCES_PROVIDER_REPLACE = new Set(["region"]);

/**
 * DiffConfig as the bridge computes it: old inputs against new inputs, key by key. A change of
 * default tags or of the assumed role's session name only updates the provider; the resources
 * then see the new tags in their own diffs.
 */
export function configDiff(olds: Props, news: Props): DiffResult {
  const keys = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter((key) => key !== "version").sort();
  const detailed: DiffResult["detailed"] = {};
  for (const key of keys) {
    if (same(olds[key], news[key])) continue;
    // An argument the old inputs never had is not replaced for (pulumi-aws#3826: old states lack it).
    const replace = FORCES_PROVIDER_REPLACE.has(key) && key in olds;
    const kind = !(key in olds) ? "ADD" : !(key in news) ? "DELETE" : "UPDATE";
    detailed[key] = replace ? `${kind}_REPLACE` : kind;
  }
  const diffs = Object.keys(detailed);
  return {
    changed: diffs.length > 0,
    replaces: diffs.filter((key) => detailed[key]?.endsWith("_REPLACE")),
    stables: [],
    diffs,
    detailed,
    deleteBeforeReplace: false,
  };
}

/** Arguments may be JSON-encoded strings on one side and structured on the other (SDK versions differ). */
function same(a: Value | undefined, b: Value | undefined): boolean {
  return JSON.stringify(sortKeys(decodeNested(a) ?? null)) === JSON.stringify(sortKeys(decodeNested(b) ?? null));
}

function sortKeys(value: Value): Value {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys(value[key] ?? null)]));
  }
  return value;
}
