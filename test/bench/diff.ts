import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { loadEnvs } from "../../cli/config/load";
import { stageDiff } from "../../cli/pipeline/stage-diff";
import { generateEnvs } from "./generated-envs";

/**
 * `dcp diff --from stage1 --to stage3`'s core once envs/ is loaded (validate-large-ms
 * measures loading): resolve, flatten and diff every stack of both stages, on validate's
 * large configuration, the last stage
 * switching every flag that is off on and every component's log level to WARN: half the
 * flags and every component differ. Best of a few runs.
 */
export async function benchDiff(): Promise<Record<string, number>> {
  const dir = generateEnvs({ stages: 3, regionsPerStage: 20, components: 50, flags: 2000 });
  const last = path.join(dir, "stage3.yaml");
  writeFileSync(last, readFileSync(last, "utf8").replaceAll("enabled: false", "enabled: true").replaceAll("logLevel: INFO", "logLevel: WARN"));
  const { envs, diagnostics } = await loadEnvs(dir);
  if (!envs) throw new Error(`generated envs are invalid: ${JSON.stringify(diagnostics.slice(0, 3))}`);
  let best = Infinity;
  let changes = 0;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    changes = stageDiff(envs, "stage1", "stage3").length;
    best = Math.min(best, performance.now() - start);
  }
  if (changes < 1000) throw new Error(`the generated stages differ in ${changes} values only; the benchmark would measure too little`);
  return { "diff-stages-ms": Math.round(best) };
}
