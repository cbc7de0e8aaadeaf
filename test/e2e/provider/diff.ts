import { randomBytes } from "node:crypto";
import { tagsAll, type ResourceType } from "./resource";
import type { AwsSession } from "./session";
import { containsUnknown, reveal, revealProps, UNKNOWN, type Props, type Value } from "./values";

/** The bridge's list of input keys that Check filled from defaults (`__defaults`). */
export const DEFAULTS_KEY = "__defaults";

export type ChangeKind = "ADD" | "ADD_REPLACE" | "DELETE" | "DELETE_REPLACE" | "UPDATE" | "UPDATE_REPLACE";

export interface DiffResult {
  changed: boolean;
  replaces: string[];
  stables: string[];
  diffs: string[];
  detailed: Record<string, ChangeKind>;
  deleteBeforeReplace: boolean;
}

/**
 * Check as the bridge does it: fill schema defaults and the auto-name, and record which keys
 * were filled in `__defaults`. Secret wrappers in the inputs are kept, so the engine stores the
 * checked inputs as secrets. An auto-name is kept across updates, like the bridge's.
 */
export function check(type: ResourceType, urn: string, olds: Props, news: Props): Props {
  const checked: Props = { ...news };
  const filled: string[] = [];
  for (const [key, field] of Object.entries(type.fields)) {
    if ((checked[key] === undefined || checked[key] === null) && field.default !== undefined) {
      checked[key] = field.default;
      filled.push(key);
    }
  }
  if (type.autonamed && (checked.name === undefined || checked.name === null)) {
    const oldDefaults = Array.isArray(olds[DEFAULTS_KEY]) ? olds[DEFAULTS_KEY] : [];
    const reuse = oldDefaults.includes("name") && typeof olds.name === "string";
    checked.name = reuse ? (olds.name as string) : `${urn.split("::").pop()}-${randomBytes(4).toString("hex").slice(0, 7)}`;
    filled.push("name");
  }
  checked[DEFAULTS_KEY] = filled.sort();
  return checked;
}

/**
 * Diff as the bridge does it: the checked new inputs against the old *state* (the outputs read
 * from AWS after the last create/update), not against the old inputs. So whatever AWS changed in
 * a value (AppConfig adding `_createdAt`/`_updatedAt` to feature flags) counts as a change, and a
 * change to a ForceNew property is a replacement (pulumi-aws#2172). Properties the program
 * listed in `ignoreChanges` are left out of the diff, as the bridge leaves them out of the
 * Terraform diff (pkg/tfbridge/provider.go Diff: newIgnoreChanges → shim.DiffOptions).
 */
export function diff(
  type: ResourceType,
  session: Pick<AwsSession, "defaultTags">,
  olds: Props,
  rawNews: Props,
  ignoreChanges: readonly string[] = [],
): DiffResult {
  const state = revealProps(olds);
  const news = revealProps(rawNews);
  const ignored = new Set(ignoreChanges.map((path) => path.split(/[.[]/)[0]));
  const detailed: Record<string, ChangeKind> = {};
  for (const [key, field] of Object.entries(type.fields)) {
    if (ignored.has(key)) continue;
    const next = news[key];
    if (isEmpty(next) && field.computed) continue;
    if (!changed(state[key], next, field)) continue;
    const kind: ChangeKind = isEmpty(state[key]) ? "ADD" : isEmpty(next) ? "DELETE" : "UPDATE";
    detailed[key] = field.forceNew ? (`${kind}_REPLACE` as ChangeKind) : kind;
  }
  if (type.taggable) {
    const all = containsUnknown(news.tags ?? null) ? UNKNOWN : tagsAll(session, news.tags);
    if (changed(state.tagsAll, all, {})) detailed.tagsAll = isEmpty(state.tagsAll) ? "ADD" : "UPDATE";
  }
  const diffs = Object.keys(detailed).sort();
  const replaces = diffs.filter((key) => detailed[key]?.endsWith("_REPLACE"));
  const stables = Object.entries(type.fields)
    .filter(([key, field]) => field.forceNew && !replaces.includes(key))
    .map(([key]) => key)
    .sort();
  return {
    changed: diffs.length > 0,
    replaces,
    stables,
    diffs,
    detailed,
    deleteBeforeReplace: replaces.length > 0 && namedByUser(type, rawNews),
  };
}

/**
 * The bridge deletes before it creates a replacement when the program chose the name itself:
 * the new resource could not be created while the old one holds the name.
 */
function namedByUser(type: ResourceType, news: Props): boolean {
  const defaults = news[DEFAULTS_KEY];
  if (!type.autonamed || !Array.isArray(defaults)) return false;
  return news.name !== undefined && !defaults.includes("name");
}

/** Terraform's SDK does not tell a zero value (empty string, 0, false, empty list or map) from an absent one. */
function isEmpty(value: Value | undefined): boolean {
  if (value === undefined || value === null || value === "" || value === 0 || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") return Object.keys(value).length === 0;
  return false;
}

function changed(before: Value | undefined, after: Value | undefined, field: Field): boolean {
  if (containsUnknown(after ?? null)) return true;
  if (isEmpty(before) && isEmpty(after)) return false;
  return canonical(reveal(before ?? null), field) !== canonical(reveal(after ?? null), field);
}

type Field = ResourceType["fields"][string];

function canonical(value: Value, field: Field): string {
  return stableJson(normalise(value, field));
}

/**
 * Numbers in state and strings in news (or the reverse) compare by value, as TF's typed schema
 * does; JSON documents compare by content where the schema suppresses equivalent-JSON diffs.
 */
function normalise(value: Value, field: Field): Value {
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return field.json ? parseJson(value, field) : value;
  if (Array.isArray(value)) {
    const items = value.map((item) => normalise(item, field));
    return field.set ? items.map(stableJson).sort() : items;
  }
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, normalise(item, field)]));
  }
  return value;
}

function parseJson(text: string, field: Field): Value {
  try {
    const parsed = JSON.parse(text) as Value;
    return typeof parsed === "object" && parsed !== null ? normalise(parsed, { ...field, json: false }) : text;
  } catch {
    return text;
  }
}

function stableJson(value: Value): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${stableJson(value[key] ?? null)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
