import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

const ENVS = path.resolve(__dirname, "../../envs");

/**
 * The sample's files read directly, without dcp's loader: what the recorded resources
 * are compared with, so that the loader and the program cannot agree on a mistake.
 */
export interface StageFileAsWritten {
  rollout: { durationMinutes: number; growthType: string; growthFactor: number; finalBakeMinutes: number };
  alarms: Record<string, unknown>[];
  flags: Record<string, Record<string, unknown>>;
  config: Record<string, Record<string, unknown>>;
}

export function stageFile(stage: string): StageFileAsWritten {
  return parse(readFileSync(path.join(ENVS, `${stage}.yaml`), "utf8")) as StageFileAsWritten;
}

export function pipelineFlags(): Record<string, { description: string; expires?: string; attributes?: Record<string, unknown> }> {
  return (parse(readFileSync(path.join(ENVS, "pipeline.yaml"), "utf8")) as { flags: ReturnType<typeof pipelineFlags> }).flags;
}

export function componentSchema(component: string): unknown {
  return JSON.parse(readFileSync(path.join(ENVS, "schemas", `${component}.json`), "utf8"));
}
