import { expect } from "chai";
import type { Envs, ResolvedStack } from "../../cli/config/model";
import { stampRelease } from "../../cli/pipeline/metadata";
import { planRelease, stackRefOf, type PlannedStage, type PlannedWave } from "../../cli/pipeline/plan";
import { rollbackPlan } from "../../cli/pipeline/release-rollback";
import { readLedger } from "../../cli/pipeline/restore";
import type { StackConfig } from "../../infra/stack-config";
import { RELEASE_CONTEXT, sampleEnvs, World } from "./fakes/world";

describe("what a failed release changed, and what its rollback returns", () => {
  let envs: Envs;
  let world: World;
  let prod: PlannedStage;
  let previous: Map<string, StackConfig>;

  before(async () => {
    envs = await sampleEnvs();
  });

  beforeEach(() => {
    world = new World(envs);
    previous = world.seedPreviousRelease("prod");
    const stage = planRelease(envs, { to: "prod", stage: "prod" }).stages[0];
    if (stage === undefined) throw new Error("the sample has a prod stage");
    prod = stage;
  });

  const wave = (name: string): PlannedWave => {
    const found = prod.waves.find((w) => w.name === name);
    if (found === undefined) throw new Error(`prod has no wave ${name}`);
    return found;
  };
  const stackNamed = (name: string): ResolvedStack => {
    const found = world.stacks("prod").find((s) => s.name === name);
    if (found === undefined) throw new Error(`prod has no stack ${name}`);
    return found;
  };

  /** The release's update of the stack, as a release run makes it; failures are the test's to inject. */
  async function update(name: string): Promise<void> {
    const stack = stackNamed(name);
    const config = stampRelease(stack.config, RELEASE_CONTEXT, new Date(world.clock.now()).toISOString(), undefined);
    await world.engine.up(stackRefOf(stack), config, { policyConfig: {} }).catch(() => undefined);
  }

  async function planFor(failedWave: PlannedWave, scope: "wave" | "stage") {
    const ledgers = await Promise.all(prod.waves.flatMap((w) => w.stacks).map((s) => readLedger(stackRefOf(s), world.engine)));
    const plan = rollbackPlan(ledgers, prod, failedWave, scope);
    return { targets: plan.targets.map((t) => t.stack.name), kept: plan.kept };
  }

  it("counts a stack whose update succeeded, and one whose update failed after it had started deploying, as changed", async () => {
    const [canary, west, eu] = ["prod-us-east-1", "prod-us-west-2", "prod-eu-west-1"];
    world.engine.failUp(eu, "Rate exceeded", { afterDeploying: true });
    for (const name of [canary, west, eu]) await update(name);

    const { targets } = await planFor(wave("americas-europe"), "stage");

    expect(targets).to.have.members([canary, west, eu]);
  });

  it("does not count a stack whose update hit a lock, nor one whose update never started", async () => {
    world.engine.lock("prod-eu-west-1", { atUp: true });
    for (const name of ["prod-us-east-1", "prod-us-west-2", "prod-eu-west-1"]) await update(name);

    const { targets } = await planFor(wave("americas-europe"), "stage");

    expect(targets).to.have.members(["prod-us-east-1", "prod-us-west-2"]);
  });

  it("returns each stack to the release it held before this one", async () => {
    await update("prod-us-east-1");
    const ledgers = await Promise.all(prod.waves.flatMap((w) => w.stacks).map((s) => readLedger(stackRefOf(s), world.engine)));

    const [target] = rollbackPlan(ledgers, prod, wave("canary"), "stage").targets;

    expect(target?.holds).to.equal(stackNamed("prod-us-east-1").releaseId);
    expect(target?.record?.config).to.deep.equal(previous.get("prod-us-east-1"));
  });

  it("with rollbackScope: wave, returns only the failed wave's stacks and names those of earlier waves it keeps", async () => {
    for (const name of ["prod-us-east-1", "prod-us-west-2", "prod-eu-west-1", "prod-eu-central-1"]) await update(name);

    const { targets, kept } = await planFor(wave("rest-of-world"), "wave");

    expect(targets).to.deep.equal(["prod-eu-central-1"]);
    expect(kept).to.have.members(["prod-us-east-1", "prod-us-west-2", "prod-eu-west-1"]);
  });
});
