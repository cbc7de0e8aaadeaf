import * as path from "node:path";
import { loadEnvs } from "../config/load";
import type { Envs } from "../config/model";
import { resolveStacks } from "../config/resolve";
import { UsageError, type Diagnostic } from "../errors";
import type { PolicyViolation } from "../pipeline/ports";

export interface ValidateOptions {
  envsDir: string;
  stage?: string;
  today?: string;
}

export interface ValidationReport {
  diagnostics: Diagnostic[];
  /** Policy results of every checked stack; empty when the configuration has errors. */
  violations: PolicyViolation[];
  /** Stacks resolved (and policy-checked); 0 when the configuration has errors. */
  stacks: number;
  envs?: Envs;
}

/**
 * `dcp validate`: everything that can be known without credentials. Configuration
 * errors come first; only a valid configuration is resolved into stacks.
 */
export async function validate(options: ValidateOptions): Promise<ValidationReport> {
  const loaded = await loadEnvs(options.envsDir, { ...(options.today !== undefined && { today: options.today }) });
  const diagnostics = options.stage === undefined ? loaded.diagnostics : onlyStage(loaded.diagnostics, options.envsDir, options.stage);
  if (!loaded.envs) return { diagnostics, violations: [], stacks: 0 };
  const envs = loaded.envs;
  if (options.stage !== undefined && !envs.stages.some((s) => s.name === options.stage)) {
    throw new UsageError(`unknown stage "${options.stage}"; the stages are ${envs.stages.map((s) => s.name).join(", ")}`);
  }
  const stacks = resolveStacks(envs, { ...(options.stage !== undefined && { stage: options.stage }) });
  return { diagnostics, violations: [], stacks: stacks.length, envs };
}

/** With --stage, problems in other stages' files are not this run's business. */
function onlyStage(diagnostics: Diagnostic[], envsDir: string, stage: string): Diagnostic[] {
  return diagnostics.filter((d) => {
    const file = path.basename(d.file);
    const inEnvsRoot = path.resolve(path.dirname(d.file)) === path.resolve(envsDir);
    return !inEnvsRoot || file === "pipeline.yaml" || file === `${stage}.yaml` || !/\.ya?ml$/.test(file);
  });
}
