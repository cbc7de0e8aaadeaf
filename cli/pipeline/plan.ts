import { resolveStacks, type StackSelection } from "../config/resolve";
import type { Envs, ResolvedStack } from "../config/model";
import { UsageError } from "../errors";
import type { StackRef } from "./ports";

export interface PlannedWave {
  stage: string;
  name: string;
  bakeMinutes: number;
  stacks: ResolvedStack[];
}

export interface PlannedStage {
  name: string;
  approval: "none" | "manual";
  production: boolean;
  waves: PlannedWave[];
}

export interface Plan {
  workload: string;
  stages: PlannedStage[];
}

export interface PlanOptions extends StackSelection {
  /** The last stage to release; every stage before it in pipeline order comes first. */
  to: string;
}

/** What a release up to `to` would walk: stages in order, their waves in order, each wave's stacks. */
export function planRelease(envs: Envs, options: PlanOptions): Plan {
  const names = envs.stages.map((s) => s.name);
  const last = names.indexOf(options.to);
  if (last < 0) throw new UsageError(`unknown stage "${options.to}"; the stages are ${names.join(", ")}`);
  if (options.stage !== undefined && !names.slice(0, last + 1).includes(options.stage)) {
    throw new UsageError(`--stage ${options.stage} is not one of the stages up to ${options.to}: ${names.slice(0, last + 1).join(", ")}`);
  }
  const stacks = resolveStacks(envs, options);
  if (options.region !== undefined && stacks.length === 0) {
    throw new UsageError(`no stage up to ${options.to} deploys to region ${options.region}`);
  }
  const stages: PlannedStage[] = [];
  for (const stage of envs.stages.slice(0, last + 1)) {
    const waves = stage.definition.waves
      .map((wave) => ({
        stage: stage.name,
        name: wave.name,
        bakeMinutes: wave.bakeMinutes,
        stacks: stacks.filter((s) => s.stage === stage.name && s.wave === wave.name),
      }))
      .filter((wave) => wave.stacks.length > 0);
    if (waves.length === 0) continue;
    stages.push({
      name: stage.name,
      approval: stage.definition.approval ?? "none",
      production: envs.pipeline.production?.includes(stage.name) ?? false,
      waves,
    });
  }
  return { workload: envs.pipeline.workload, stages };
}

export function stackRefOf(stack: ResolvedStack): StackRef {
  return { stage: stack.stage, region: stack.region, name: stack.name };
}
