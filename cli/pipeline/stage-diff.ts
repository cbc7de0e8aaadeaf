/**
 * `dcp diff --from <stage> --to <stage>`: what promoting one stage's configuration to
 * another would change, from envs/ alone (offline). Regions of the target stage whose
 * values differ from each other are told apart; a change made in all of them is not.
 */
import type { Envs, ResolvedStack } from "../config/model";
import { resolveStacks } from "../config/resolve";
import { valuePaths, type ValuePaths } from "../config/value-paths";
import { UsageError } from "../errors";
import { mergeRegions, valueChanges, type ValueChange } from "./value-diff";

/** A change; `regions` only where it is not made in every region of the target stage. */
export interface StageChange extends ValueChange {
  regions?: string[];
}

export function stageDiff(envs: Envs, from: string, to: string): StageChange[] {
  requireStage(envs, from);
  requireStage(envs, to);
  return diffStacks(resolveStacks(envs, { stage: from }), resolveStacks(envs, { stage: to }));
}

/** The values that differ from the source stage's stacks to the target's, region by region. */
export function diffStacks(fromStacks: ResolvedStack[], toStacks: ResolvedStack[]): StageChange[] {
  const paths = pathsOnce();
  const fromByRegion = new Map(fromStacks.map((s) => [s.region, s]));
  // Regions whose source and target values are the same objects are diffed once, together.
  const pairs = new Map<ValuePaths, Map<ValuePaths, string[]>>();
  for (const target of toStacks) {
    // A region the source stage does not deploy to is compared with the source's first stack.
    const source = fromByRegion.get(target.region) ?? fromStacks[0];
    if (source === undefined) continue;
    const [before, after] = [paths(source), paths(target)];
    const regions = pairs.get(before)?.get(after);
    if (regions !== undefined) regions.push(target.region);
    else pairs.set(before, (pairs.get(before) ?? new Map<ValuePaths, string[]>()).set(after, [target.region]));
  }
  const groups = [...pairs].flatMap(([before, targets]) => [...targets].map(([after, regions]) => ({ regions, changes: valueChanges(before, after) })));
  // Stryker disable next-line ConditionalExpression: a shortcut; merging the regions of a single group gives the same changes, with none named
  if (groups.length === 1) return groups[0]!.changes;
  const everywhere = toStacks.length;
  const merged = mergeRegions(groups.flatMap(({ regions, changes }) => regions.map((region) => ({ region, changes }))));
  return merged.map(({ regions, ...change }) => (regions.length === everywhere ? change : { ...change, regions }));
}

/** A stage's stacks share their values' objects (resolve.ts): flatten each set of them once. */
function pathsOnce(): (stack: ResolvedStack) => ValuePaths {
  const known = new Map<string, ValuePaths>();
  const ids = new WeakMap<object, number>();
  let next = 0;
  const idOf = (part: object) => {
    let id = ids.get(part);
    // Stryker disable next-line ConditionalExpression,UpdateOperator: ids need only be distinct; a fresh one each time only defeats the cache, and the regions are merged anyway
    if (id === undefined) ids.set(part, (id = next++));
    return id;
  };
  return (stack) => {
    const { flags, components, alarms, rollout } = stack.config;
    const key = [flags, components, alarms, rollout].map(idOf).join("/");
    let paths = known.get(key);
    // Stryker disable next-line ConditionalExpression: flattening again gives equal paths; only the cache and the grouping of regions are lost, and the regions are merged anyway
    if (paths === undefined) known.set(key, (paths = valuePaths(stack.config)));
    return paths;
  };
}

export function requireStage(envs: Envs, stage: string): void {
  const names = envs.stages.map((s) => s.name);
  if (!names.includes(stage)) throw new UsageError(`unknown stage "${stage}"; the stages are ${names.join(", ")}`);
}
