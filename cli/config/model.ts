import type { PipelineFile } from "./formats/pipeline-file";
import type { StageFile, Wave } from "./formats/stage-file";
import type { StackConfig } from "../../infra/stack-config";

/** envs/ once loaded and validated: the input to resolution, planning and release. */
export interface Envs {
  /** Absolute path of the envs/ directory. */
  dir: string;
  pipeline: PipelineFile;
  /** In pipeline order. */
  stages: StageDefinition[];
  /** Component name → its JSON Schema, read from envs/schemas. */
  schemas: Record<string, Record<string, unknown>>;
}

export interface StageDefinition {
  name: string;
  /** Path of the stage file, relative to the working directory, for messages. */
  file: string;
  definition: StageFile;
}

export type { PipelineFile, StageFile, Wave, StackConfig };

/** One stack of the plan: a stage × region, its wave, and its resolved StackConfig. */
export interface ResolvedStack {
  stage: string;
  wave: string;
  region: string;
  /** `<stage>-<region>` */
  name: string;
  config: StackConfig;
  releaseId: string;
}
