import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";

export interface EnvsSize {
  stages: number;
  regionsPerStage: number;
  components: number;
  flags: number;
}

const REGIONS = [
  "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1", "eu-west-1", "eu-west-2",
  "eu-west-3", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "ap-south-1", "ap-southeast-1",
  "ap-southeast-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "me-south-1",
];

/** Write a valid envs/ of the given size to a temp directory, shaped like the sample (four regions a wave). */
export function generateEnvs(size: EnvsSize): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), "dcp-bench-")), "envs");
  mkdirSync(path.join(dir, "schemas"), { recursive: true });
  const stages = Array.from({ length: size.stages }, (_, i) => `stage${i + 1}`);
  const components = Array.from({ length: size.components }, (_, i) => `component${i + 1}`);
  const schema = {
    type: "object",
    additionalProperties: false,
    required: ["logLevel", "throttling", "connections"],
    properties: {
      logLevel: { enum: ["DEBUG", "INFO", "WARN", "ERROR"] },
      throttling: { type: "object", properties: { requestsPerSecond: { type: "integer", minimum: 1 } } },
      connections: { type: "object", properties: { max: { type: "integer", minimum: 1 } } },
      timeoutMs: { type: "integer", minimum: 1 },
    },
  };
  for (const c of components) writeFileSync(path.join(dir, "schemas", `${c}.json`), JSON.stringify(schema));
  const flags: Record<string, unknown> = {};
  for (let i = 0; i < size.flags; i++) {
    flags[`flag-${i}`] = {
      description: `Generated flag ${i}`,
      owner: "team-bench",
      components: [components[i % components.length], components[(i + 1) % components.length]],
      ...(i % 3 === 0 && { attributes: { percent: { type: "number", minimum: 0, maximum: 100 }, variant: { type: "string", enum: ["a", "b"] } } }),
    };
  }
  writeFileSync(
    path.join(dir, "pipeline.yaml"),
    stringify({
      workload: "bench",
      stages,
      production: [stages.at(-1)],
      components: Object.fromEntries(components.map((c) => [c, { schema: `schemas/${c}.json` }])),
      flags,
    }),
  );
  stages.forEach((stage, s) => {
    const account = String(s + 1).repeat(12).slice(0, 12);
    const regions = REGIONS.slice(0, size.regionsPerStage);
    const waves = [];
    for (let w = 0; w * 4 < regions.length; w++) waves.push({ name: `wave-${w + 1}`, regions: regions.slice(w * 4, w * 4 + 4), bakeMinutes: 10 });
    writeFileSync(
      path.join(dir, `${stage}.yaml`),
      stringify({
        account,
        role: `arn:aws:iam::${account}:role/dcp-deploy`,
        rollout: { durationMinutes: 10, growthType: "LINEAR", growthFactor: 20, finalBakeMinutes: 30 },
        waves,
        alarms: [{ name: "errors", namespace: "Bench", metric: "Errors", statistic: "Sum", period: 60, evaluationPeriods: 3, threshold: 5, comparison: "GreaterThanThreshold" }],
        flags: Object.fromEntries(
          Object.keys(flags).map((key, i) => [key, i % 3 === 0 ? { enabled: i % 2 === 0, percent: i % 100, variant: "a" } : { enabled: i % 2 === 0 }]),
        ),
        config: Object.fromEntries(
          components.map((c, i) => [c, { logLevel: "INFO", throttling: { requestsPerSecond: 100 + i }, connections: { max: 10 + i }, timeoutMs: 1000 }]),
        ),
      }),
    );
  });
  return dir;
}
