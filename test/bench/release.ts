/**
 * How close the release and rollback algorithms come to their critical paths, with
 * the in-memory fakes given fixed latencies on real timers and zero bake:
 *
 * - release-critical-path-ratio: wall time of releasing the sample to prod ÷ the sum
 *   over waves of the slowest stack's preview+up (goal ≤ 1.10);
 * - rollback-parallel-ratio: wall time of `rollback prod` over all prod stacks ÷ the
 *   wall time of rolling back one stack (goal ≤ 1.25).
 *
 * Updates (preview, up, cancel) take UPDATE_MS; reading a stack's outputs or history
 * takes READ_MS, an order of magnitude less, as reading state does next to deploying.
 */
import type { Envs } from "../../cli/config/model";
import { systemClock } from "../../cli/pipeline/clock";
import { planRelease, stackRefOf } from "../../cli/pipeline/plan";
import type { PipelinePorts } from "../../cli/pipeline/ports";
import { release } from "../../cli/pipeline/release";
import { rollback, type RollbackOptions } from "../../cli/pipeline/rollback";
import { InMemoryEngine, type EngineOperation } from "../pipeline/fakes/engine";
import { FakeHealthMonitor } from "../pipeline/fakes/health";
import { releaseOptions, sampleEnvs, World } from "../pipeline/fakes/world";

const UPDATE_MS = 50;
const READ_MS = 5;
const LATENCY: Partial<Record<EngineOperation, number>> = { preview: UPDATE_MS, up: UPDATE_MS, outputs: READ_MS, history: READ_MS };

function withoutBakes(envs: Envs): Envs {
  return {
    ...envs,
    stages: envs.stages.map((stage) => ({
      ...stage,
      definition: { ...stage.definition, waves: stage.definition.waves.map((wave) => ({ ...wave, bakeMinutes: 0 })) },
    })),
  };
}

function seededPorts(envs: Envs): PipelinePorts {
  const world = new World(envs, LATENCY);
  world.seedPreviousRelease();
  return {
    engine: world.engine,
    health: new FakeHealthMonitor(systemClock),
    deployments: world.deployments,
    reporter: { emit: () => undefined },
    clock: systemClock,
  };
}

async function wallMs(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

/** The sum over waves of the slowest stack's preview+up, each stack measured alone. */
async function criticalPathMs(envs: Envs): Promise<number> {
  const engine = new InMemoryEngine(LATENCY);
  const options = { policyConfig: {} };
  let total = 0;
  for (const stage of planRelease(envs, { to: "prod" }).stages) {
    for (const wave of stage.waves) {
      let slowest = 0;
      for (const stack of wave.stacks) {
        const ref = stackRefOf(stack);
        slowest = Math.max(slowest, await wallMs(async () => {
          await engine.preview(ref, stack.config, options);
          await engine.up(ref, stack.config, options);
        }));
      }
      total += slowest;
    }
  }
  return total;
}

const round = (ratio: number) => Math.round(ratio * 1000) / 1000;

export async function benchRelease(): Promise<Record<string, number>> {
  const envs = withoutBakes(await sampleEnvs());
  const options = releaseOptions({ to: "prod", approve: true });
  // Warm the code paths so that the first measurement does not pay for loading them.
  await release(envs, options, seededPorts(envs));

  const releaseMs = await wallMs(() => release(envs, options, seededPorts(envs)));
  const pathMs = await criticalPathMs(envs);

  const rollbackOptions = (region?: string): RollbackOptions => ({
    stage: "prod",
    ...(region !== undefined && { region }),
    policyConfig: () => ({}),
    context: { gitCommit: "0ld0ld0" },
  });
  // Each rollback on a world of its own: a stage rollback right after a one-region rollback
  // is refused (it would undo that rollback), which is dcp's rule, not what is measured here.
  const releasedPorts = async () => {
    const ports = seededPorts(envs);
    await release(envs, options, ports);
    return ports;
  };
  const onePorts = await releasedPorts();
  const oneStackMs = await wallMs(() => rollback(envs, rollbackOptions("us-east-1"), onePorts));
  const stagePorts = await releasedPorts();
  const stageMs = await wallMs(() => rollback(envs, rollbackOptions(), stagePorts));

  return {
    "release-critical-path-ratio": round(releaseMs / pathMs),
    "rollback-parallel-ratio": round(stageMs / oneStackMs),
  };
}

if (require.main === module) {
  benchRelease().then((figures) => {
    for (const [name, value] of Object.entries(figures)) console.log(`${name}: ${value}`);
  });
}
