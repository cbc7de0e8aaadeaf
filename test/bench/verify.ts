/**
 * verify-overhead-ratio: the wall time of a bake of fixed length (BAKE_MS) with 20 HTTP
 * checks every second against a local server ÷ the same bake with none (goal ≤ 1.05:
 * checks run concurrently and never stretch the bake).
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { VerifyCheck } from "../../cli/config/formats/stage-file";
import { systemClock } from "../../cli/pipeline/clock";
import type { HealthMonitor, WatchTarget } from "../../cli/pipeline/ports";
import { withVerification } from "../../cli/verify/monitor";
import { FakeHealthMonitor } from "../pipeline/fakes/health";
import { sampleEnvs, World } from "../pipeline/fakes/world";
import { withChecks } from "../verify/sample-with-checks";

const BAKE_MS = 3_000;
const CHECKS = 20;

async function wallMs(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

export async function benchVerify(): Promise<Record<string, number>> {
  let requests = 0;
  const server = http.createServer((_, response) => (requests += 1) && response.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}'));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const checks: VerifyCheck[] = Array.from({ length: CHECKS }, (_, i) => ({
      type: "http",
      name: `synthetic-${i + 1}`,
      url: `${base}/{stage}/{region}/health`,
      jsonPath: "$.status",
      equals: "ok",
      intervalSeconds: 1,
    }));
    const sample = await sampleEnvs();
    const envs = withChecks(sample, "prod", checks, BAKE_MS);
    const [canary] = new World(envs).stacks("prod");
    if (canary === undefined) throw new Error("the sample has prod stacks");
    const targets: WatchTarget[] = [
      {
        stack: { stage: canary.stage, region: canary.region, name: canary.name },
        config: canary.config,
        outputs: { releaseId: canary.releaseId, applicationId: "a", environmentId: "e", profileIds: {}, contentHashes: {}, deploymentNumbers: {}, deploymentStrategyId: "s", alarmNames: [], alarmArns: [] },
      },
    ];
    const bake = (monitor: HealthMonitor = new FakeHealthMonitor(systemClock)) => monitor.watch(targets, { durationMs: BAKE_MS });
    const plainMs = await wallMs(() => bake());
    const checkedMs = await wallMs(() => bake(withVerification(new FakeHealthMonitor(systemClock), envs)));
    // A ratio of 1 from checks that never ran would measure nothing.
    if (requests < CHECKS * (BAKE_MS / 1000)) throw new Error(`only ${requests} check requests were made during the bake`);
    return { "verify-overhead-ratio": Math.round((checkedMs / plainMs) * 1000) / 1000 };
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
