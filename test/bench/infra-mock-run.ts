import { performance } from "node:perf_hooks";
import { loadedEnvs, SAMPLE_ENVS } from "../support/sample-envs";
import { resolveStacks } from "../../cli/config/resolve";
import { recordStack } from "../../cli/offline/record-stack";

/**
 * The infra program under strict mocks for every stack of the sample, one after the
 * other in this process, as `dcp validate` runs it: the first pass, since validate
 * runs once per process (modules are loaded, nothing else is warm).
 */
export async function benchInfraMockRun(): Promise<Record<string, number>> {
  const stacks = resolveStacks(await loadedEnvs(SAMPLE_ENVS));
  const start = performance.now();
  for (const stack of stacks) await recordStack(stack.config, stack.name);
  return { "infra-mock-run-ms": Math.round(performance.now() - start) };
}
