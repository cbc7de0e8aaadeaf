import "../lazy-sdk-modules";
import { loadEnvs } from "../config/load";
import type { Envs } from "../config/model";
import { resolveStacks } from "../config/resolve";
import { stackSizeProblems } from "../config/stack-size";
import type { Diagnostic } from "../errors";
import { policyConfigFor } from "../config/policy-config";
import type { PolicyPackConfig, PolicyViolation } from "../pipeline/ports";
import { evaluatePolicies } from "./evaluate";
import { recordStack } from "./record-stack";
import { locateViolations, type ViolationFinding } from "./violation-sources";

export interface ValidateOptions {
  envsDir: string;
  stage?: string;
  today?: string;
}

export interface ValidationReport {
  diagnostics: Diagnostic[];
  /** Policy results of every checked stack; empty when the configuration has errors. */
  violations: PolicyViolation[];
  /** The same violations, one per value: traced to the stage-file entry, with the stacks they hold on. */
  findings: ViolationFinding[];
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
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const loaded = await loadEnvs(options.envsDir, { today, ...(options.stage !== undefined && { stage: options.stage }) });
  const diagnostics = loaded.diagnostics;
  if (!loaded.envs) return { diagnostics, violations: [], findings: [], stacks: 0 };
  const envs = loaded.envs;
  const stacks = resolveStacks(envs);
  const tooLarge = stackSizeProblems(envs, stacks);
  if (tooLarge.length > 0) return { diagnostics: [...diagnostics, ...tooLarge], violations: [], findings: [], stacks: 0 };
  const violations: PolicyViolation[] = [];
  const configs = new Map<string, PolicyPackConfig>();
  for (const stack of stacks) {
    const recorded = await recordStack(stack.config, stack.name);
    if (!configs.has(stack.stage)) configs.set(stack.stage, policyConfigFor(envs, stack.stage, { today }));
    violations.push(...(await evaluatePolicies(recorded, configs.get(stack.stage)!)));
  }
  return { diagnostics, violations, findings: await locateViolations(envs, violations), stacks: stacks.length, envs };
}
