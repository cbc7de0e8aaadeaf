/**
 * `dcp drift`: compare each stack's live resources with what its last release left,
 * through a preview-only refresh that changes neither. Someone who edits an AppConfig
 * profile or an alarm by hand makes the next release (or rollback) behave unexpectedly.
 */
import type { Envs } from "../config/model";
import { canonicalJson } from "../config/release-id";
import { resolveStacks, type StackSelection } from "../config/resolve";
import { UsageError } from "../errors";
import { stackRefOf } from "./plan";
import type { DriftedResource, PipelinePorts, PropertyChange } from "./ports";

export interface StackDrift {
  stack: string;
  stage: string;
  region: string;
  /** A stack never released has no state to drift from. */
  state: "drifted" | "in-sync" | "never-released";
  /** Resources whose live state differs, with the differing properties. */
  resources: Omit<DriftedResource, "diffs">[];
}

/** Fields AppConfig adds to feature-flag content on its own; their values are not a change anybody made. */
const INJECTED_FIELDS = new Set(["_createdAt", "_updatedAt"]);

export async function drift(
  envs: Envs,
  selection: StackSelection,
  ports: Pick<PipelinePorts, "engine">,
  signal?: AbortSignal,
): Promise<StackDrift[]> {
  const names = envs.stages.map((s) => s.name);
  if (selection.stage !== undefined && !names.includes(selection.stage)) {
    throw new UsageError(`unknown stage "${selection.stage}"; the stages are ${names.join(", ")}`);
  }
  const stacks = resolveStacks(envs, selection);
  if (stacks.length === 0) throw new UsageError(`no stack${selection.stage !== undefined ? ` of ${selection.stage}` : ""} is in region ${selection.region}`);
  return Promise.all(
    stacks.map(async (s): Promise<StackDrift> => {
      const ref = stackRefOf(s);
      const base = { stack: s.name, stage: s.stage, region: s.region };
      if ((await ports.engine.outputs(ref)) === undefined) return { ...base, state: "never-released", resources: [] };
      const resources = (await ports.engine.refresh(ref, signal ? { signal } : {})).flatMap(realDrift);
      return { ...base, state: resources.length > 0 ? "drifted" : "in-sync", resources };
    }),
  );
}

export function driftFound(report: StackDrift[]): boolean {
  return report.some((s) => s.state === "drifted");
}

/** The resource without the properties that only differ by injected fields; nothing when that was all. */
function realDrift(resource: DriftedResource): Omit<DriftedResource, "diffs">[] {
  const { diffs, ...rest } = resource;
  const ignored = new Set(diffs?.filter(onlyInjectedFields).map((d) => d.property));
  const properties = rest.properties.filter((p) => !ignored.has(p));
  // A resource deleted by hand has no differing properties to begin with: that is drift.
  if (properties.length === 0 && ignored.size > 0) return [];
  return [{ ...rest, properties }];
}

/** A hosted configuration's content whose recorded and live JSON are equal once AppConfig's injected fields are set aside. */
function onlyInjectedFields(change: PropertyChange): boolean {
  if (change.property !== "content") return false;
  const before = parsedJson(change.old);
  // Unless both sides are JSON objects this is drift: an object never serialises like the other's missing one (null).
  if (before === undefined) return false;
  return canonicalJson(withoutInjected(before)) === canonicalJson(withoutInjected(parsedJson(change.new)));
}

function parsedJson(value: unknown): object | undefined {
  if (typeof value !== "string") return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed !== null && typeof parsed === "object") return parsed;
  } catch {
    // Not JSON at all.
  }
  return undefined;
}

function withoutInjected(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutInjected);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !INJECTED_FIELDS.has(key)).map(([key, v]) => [key, withoutInjected(v)]));
}
