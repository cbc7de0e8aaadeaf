/**
 * `dcp diff --stage <S>`: per stack, the values a release of envs/ would change against
 * what the stack runs (its last successful release, read from the backend; no cloud
 * credentials needed).
 */
import type { Envs } from "../config/model";
import { resolveStacks, type StackSelection } from "../config/resolve";
import { valuePaths } from "../config/value-paths";
import { UsageError } from "../errors";
import { deployedConfigs } from "./deployed-config";
import { stackRefOf } from "./plan";
import type { Engine } from "./ports";
import { requireStage } from "./stage-diff";
import { mergeRegions, valueChanges, type RegionalChange, type ValueChange } from "./value-diff";

export interface StackValueDiff {
  stack: string;
  stage: string;
  region: string;
  state: "never-released" | "no-change" | "changed";
  /** Against the stack's last successful release; empty unless `changed`. */
  changes: ValueChange[];
  /** An update after that release failed or never finished: part of it may be live as well. */
  unfinished?: true;
}

export async function deployedDiff(envs: Envs, selection: StackSelection & { stage: string }, engine: Pick<Engine, "history">): Promise<StackValueDiff[]> {
  requireStage(envs, selection.stage);
  const stacks = resolveStacks(envs, selection);
  if (stacks.length === 0) throw new UsageError(`no stack of ${selection.stage} is in region ${selection.region}`);
  const deployed = await deployedConfigs(stacks.map(stackRefOf), engine);
  return stacks.map((s, i): StackValueDiff => {
    const { config, unfinished } = deployed[i]!;
    const base = { stack: s.name, stage: s.stage, region: s.region, ...(unfinished && { unfinished: true as const }) };
    if (config === undefined) return { ...base, state: "never-released", changes: [] };
    const changes = valueChanges(valuePaths(config), valuePaths(s.config));
    return { ...base, state: changes.length > 0 ? "changed" : "no-change", changes };
  });
}

/** A stage's stack diffs as a reader takes them in: each change once with its regions, and the stacks with nothing to compare or to change. */
export interface StageValueDiff {
  stage: string;
  changes: RegionalChange[];
  neverReleased: string[];
  unchanged: string[];
}

export function summariseStage(stage: string, diffs: StackValueDiff[]): StageValueDiff {
  const regionsIn = (state: StackValueDiff["state"]) => diffs.filter((d) => d.state === state).map((d) => d.region);
  return {
    stage,
    changes: mergeRegions(diffs.map((d) => ({ region: d.region, changes: d.changes }))),
    neverReleased: regionsIn("never-released"),
    unchanged: regionsIn("no-change"),
  };
}
