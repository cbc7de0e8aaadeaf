import { performance } from "node:perf_hooks";
import { loadEnvs } from "../../cli/config/load";
import { resolveStacks } from "../../cli/config/resolve";
import { generateEnvs, type EnvsSize } from "./generated-envs";

const LARGE: EnvsSize = { stages: 3, regionsPerStage: 20, components: 50, flags: 2000 };
const SMALL: EnvsSize = { stages: 3, regionsPerStage: 2, components: 5, flags: 200 };

/** validate's core (load, check, resolve every stack) on a generated configuration; best of a few runs. */
async function timeValidate(dir: string, runs = 3): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const { envs, diagnostics } = await loadEnvs(dir);
    if (!envs) throw new Error(`generated envs are invalid: ${JSON.stringify(diagnostics.slice(0, 3))}`);
    resolveStacks(envs);
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

export async function benchValidate(): Promise<Record<string, number>> {
  const large = generateEnvs(LARGE);
  const small = generateEnvs(SMALL);
  await timeValidate(small, 1); // warm the module and schema caches for both
  // The small run takes tens of milliseconds: more tries keep one hiccup out of the ratio.
  const smallMs = await timeValidate(small, 9);
  const largeMs = await timeValidate(large);
  return { "validate-large-ms": Math.round(largeMs), "validate-scaling-ratio": Number((largeMs / smallMs).toFixed(2)) };
}
