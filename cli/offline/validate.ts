import * as path from "node:path";
import { loadEnvs } from "../config/load";
import type { Envs } from "../config/model";
import { resolveStacks } from "../config/resolve";
import { UsageError, type Diagnostic } from "../errors";
import { policyConfigFor } from "../config/policy-config";
import type { PolicyPackConfig, PolicyViolation } from "../pipeline/ports";
import { evaluatePolicies } from "./evaluate";
import { recordStack } from "./record-stack";

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
 * errors come first; only a valid configuration is resolved into stacks, and each
 * stack's program is run under mocks and checked by the policy pack with its stage's
 * policy config — the same pack and config that gate the real preview.
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
  const violations: PolicyViolation[] = [];
  const configs = new Map<string, PolicyPackConfig>();
  for (const stack of stacks) {
    const recorded = await recordStack(stack.config, stack.name);
    if (!configs.has(stack.stage)) configs.set(stack.stage, policyConfigFor(envs, stack.stage));
    violations.push(...(await evaluatePolicies(recorded, configs.get(stack.stage)!)));
  }
  return { diagnostics, violations, stacks: stacks.length, envs };
}

/** With --stage, problems in other stages' files are not this run's business. */
function onlyStage(diagnostics: Diagnostic[], envsDir: string, stage: string): Diagnostic[] {
  return diagnostics.filter((d) => {
    const file = path.basename(d.file);
    const inEnvsRoot = path.resolve(path.dirname(d.file)) === path.resolve(envsDir);
    return !inEnvsRoot || file === "pipeline.yaml" || file === `${stage}.yaml` || !/\.ya?ml$/.test(file);
  });
}
