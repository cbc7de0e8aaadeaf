import { STACK_CONFIG_KEY } from "../../infra/stack-config";
import type { Diagnostic } from "../errors";
import type { Envs, ResolvedStack, StackConfig } from "./model";

/**
 * Pulumi hands a stack's whole configuration to the program (and to the policy pack)
 * in one environment variable, and Linux refuses any single argument or variable over
 * 128 KiB (pulumi/pulumi#8680, #20402): a larger StackConfig would pass `validate`
 * and then fail every preview with "argument list too long". The margin leaves room
 * for the provider's own config keys.
 */
export const MAX_STACK_CONFIG_BYTES = 112 * 1024;

/**
 * What the StackConfig weighs where the limit applies: the settings file holds it as a
 * JSON string, and PULUMI_CONFIG JSON-encodes that string once more, escaping every
 * quote (about 1.13× the raw JSON on the sample).
 */
export function pulumiConfigBytes(config: StackConfig): number {
  return Buffer.byteLength(JSON.stringify({ [STACK_CONFIG_KEY]: JSON.stringify(config) }));
}

export function stackSizeProblems(envs: Envs, stacks: ResolvedStack[]): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const reported = new Set<string>();
  for (const stack of stacks) {
    const bytes = pulumiConfigBytes(stack.config);
    if (bytes <= MAX_STACK_CONFIG_BYTES || reported.has(stack.stage)) continue;
    reported.add(stack.stage);
    const file = envs.stages.find((s) => s.name === stack.stage)?.file ?? stack.stage;
    problems.push({
      file,
      line: 1,
      col: 1,
      severity: "error",
      message: `stack ${stack.name}'s configuration is ${Math.ceil(bytes / 1024)} KiB, over the ${MAX_STACK_CONFIG_BYTES / 1024} KiB Pulumi can hand its program (it travels in one environment variable, which Linux caps at 128 KiB); shorten flag descriptions or split the workload`,
    });
  }
  return problems;
}
