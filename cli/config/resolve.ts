import { stackName, type FlagValue, type StackConfig } from "../../infra/stack-config";
import type { Envs, ResolvedStack, StageDefinition } from "./model";
import { canonicalJson, releaseIdOf } from "./release-id";

export interface StackSelection {
  stage?: string;
  region?: string;
}

/** Every stack of envs/ (or of the selected stage/region), in release order. */
export function resolveStacks(envs: Envs, selection: StackSelection = {}): ResolvedStack[] {
  const stacks: ResolvedStack[] = [];
  for (const stage of envs.stages) {
    if (selection.stage !== undefined && stage.name !== selection.stage) continue;
    // The stage-wide values are shared by all its stacks, and serialised once for
    // their release ids: regions × flags would otherwise dominate large configurations.
    const shared = stageWide(envs, stage);
    // Stryker disable next-line ArrayDeclaration: the texts only save work; canonicalJson computes the same ones without them
    const known = new Map<object, string>([shared.flags, shared.components, shared.alarms, shared.rollout].map((part) => [part, canonicalJson(part)]));
    for (const wave of stage.definition.waves) {
      for (const region of wave.regions) {
        if (selection.region !== undefined && region !== selection.region) continue;
        const config: StackConfig = { ...shared, region };
        const releaseId = releaseIdOf(config, known);
        config.metadata = { releaseId };
        stacks.push({ stage: stage.name, wave: wave.name, region, name: stackName(stage.name, region), config, releaseId });
      }
    }
  }
  return stacks;
}

/** Where and as whom a stage deploys, and which rules bind it: what envs/ says, never what a state backend recorded. */
export type Placement = Pick<StackConfig, "account" | "role" | "endpoint" | "production">;

export function placementOf(envs: Envs, stageName: string): Placement {
  const stage = envs.stages.find((s) => s.name === stageName);
  if (stage === undefined) throw new Error(`no stage ${stageName} in envs/`);
  const file = stage.definition;
  return {
    account: file.account,
    role: file.role,
    ...(file.endpoint !== undefined && { endpoint: file.endpoint }),
    // Stryker disable next-line ArrayDeclaration: a list holding only a string that is no stage name (stage names are lower-case words) decides like an empty one
    production: (envs.pipeline.production ?? []).includes(stage.name),
  };
}

function stageWide(envs: Envs, stage: StageDefinition): Omit<StackConfig, "region"> {
  const { pipeline } = envs;
  const file = stage.definition;
  const flags: StackConfig["flags"] = {};
  for (const [key, declaration] of Object.entries(pipeline.flags ?? {})) {
    // A declared flag a stage does not mention is off there: adding a flag to the
    // catalogue must never switch anything on.
    const value: FlagValue = file.flags?.[key] ?? { enabled: false };
    flags[key] = { declaration, value };
  }
  const components: StackConfig["components"] = {};
  for (const name of Object.keys(pipeline.components)) {
    const config = (file.config?.[name] ?? {}) as Record<string, unknown>;
    components[name] = { schema: envs.schemas[name] ?? {}, config };
  }
  return {
    workload: pipeline.workload,
    stage: stage.name,
    ...placementOf(envs, stage.name),
    rollout: file.rollout,
    alarms: file.alarms ?? [],
    flags,
    components,
  };
}
