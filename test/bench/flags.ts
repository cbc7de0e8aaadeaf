import { performance } from "node:perf_hooks";
import { loadEnvs } from "../../cli/config/load";
import { resolveStacks } from "../../cli/config/resolve";
import { flagReport } from "../../cli/flags/report";
import type { Engine, ReleaseRecord, StackRef } from "../../cli/pipeline/ports";
import { renderFlagMatrixHtml } from "../../cli/ui/flags-html";
import { generateEnvs } from "./generated-envs";

/**
 * What `dcp flags --deployed --html` does once envs/ is loaded (validate-large-ms measures
 * the loading) and the backend has answered: resolve every stack, judge every flag
 * against each stack's history, render the page. Each of the 60 stacks holds two
 * releases of the current configuration, so every removal-candidate check walks a
 * history; best of a few runs.
 */
export async function benchFlags(): Promise<Record<string, number>> {
  const dir = generateEnvs({ stages: 3, regionsPerStage: 20, components: 50, flags: 2000 });
  const now = Date.parse("2026-11-25T08:00:00Z");
  const { envs, diagnostics } = await loadEnvs(dir);
  if (!envs) throw new Error(`generated envs are invalid: ${JSON.stringify(diagnostics.slice(0, 3))}`);
  const histories = new Map(resolveStacks(envs).map((s) => [s.name, [released(s.config, "2026-10-01"), released(s.config, "2026-09-01")]]));
  const engine = { history: async (stack: StackRef) => histories.get(stack.name) ?? [] } as unknown as Engine;
  let best = Infinity;
  let bytes = 0;
  for (let run = 0; run < 3; run++) {
    const start = performance.now();
    const matrix = await flagReport(envs, { engine, clock: { now: () => now } }, { staleDays: 30, deployed: true });
    bytes = renderFlagMatrixHtml(matrix, "bench: feature flags").length;
    best = Math.min(best, performance.now() - start);
  }
  if (bytes === 0) throw new Error("the flag page is empty");
  return { "flags-html-ms": Math.round(best) };
}

function released(config: ReleaseRecord["config"], day: string): ReleaseRecord {
  const at = new Date(`${day}T00:00:00Z`);
  // Parsed from JSON, as the engine's answers are: no object shared with envs/.
  return { version: 1, kind: "update", result: "succeeded", startedAt: at, endedAt: at, config: JSON.parse(JSON.stringify(config)) as ReleaseRecord["config"], environment: {} };
}
