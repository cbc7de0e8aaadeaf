import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { loadEnvs } from "../../cli/config/load";
import { resolveStacks } from "../../cli/config/resolve";
import { recordStack } from "../../cli/offline/record-stack";

/**
 * The infra program under strict mocks for every stack of the sample, one after the
 * other in this process, as `dcp validate` runs it: the first pass, since validate
 * runs once per process (modules are loaded, nothing else is warm).
 */
export async function benchInfraMockRun(): Promise<Record<string, number>> {
  const { envs, diagnostics } = await loadEnvs(path.resolve(__dirname, "../../envs"));
  if (!envs) throw new Error(`the sample envs/ is invalid: ${JSON.stringify(diagnostics.slice(0, 3))}`);
  const stacks = resolveStacks(envs);
  const start = performance.now();
  for (const stack of stacks) await recordStack(stack.config, stack.name);
  return { "infra-mock-run-ms": Math.round(performance.now() - start) };
}
