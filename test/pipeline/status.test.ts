import { expect } from "chai";
import type { Envs } from "../../cli/config/model";
import { SetupError, UsageError } from "../../cli/errors";
import { stackHistories } from "../../cli/pipeline/history";
import { stackRefOf } from "../../cli/pipeline/plan";
import { release } from "../../cli/pipeline/release";
import { status } from "../../cli/pipeline/status";
import type { Engine, WatchTarget } from "../../cli/pipeline/ports";
import { outputsOf } from "./fakes/engine";
import { earlierConfigOf, releaseOptions, sampleEnvs, World } from "./fakes/world";

describe("status and history", () => {
  let envs: Envs;
  let world: World;

  before(async () => {
    envs = await sampleEnvs();
  });

  beforeEach(async () => {
    world = new World(envs);
    world.seedPreviousRelease("beta");
    await release(envs, releaseOptions({ to: "beta" }), world.ports());
  });

  it("status shows per stack the deployed release, who released it, when, and whether envs/ holds a newer one", async () => {
    const [beta, gammaEast] = await status(envs, {}, world.ports());

    expect(beta).to.include({ stack: "beta-us-west-2", releaseId: world.stacks("beta")[0]?.releaseId, wantedReleaseId: world.stacks("beta")[0]?.releaseId });
    expect(beta?.lastUpdate).to.include({ releasedBy: "grace@example.com", gitCommit: "c0ffee1", ci: "github-actions", result: "succeeded" });
    expect(beta?.health).to.deep.equal({ healthy: true });
    expect(beta?.alarms).to.have.length(envs.stages[0]?.definition.alarms?.length ?? 0);
    expect(gammaEast).to.include({ stack: "gamma-us-east-1" });
    expect(gammaEast?.releaseId).to.equal(undefined);
  });

  it("status reports the alarms in ALARM right now", async () => {
    world.health.fireAlarm("beta-us-west-2", "payments-errors");
    const [beta] = await status(envs, { stage: "beta" }, world.ports());
    expect(beta?.health).to.deep.equal({
      healthy: false,
      reasons: [{ stack: "beta-us-west-2", kind: "alarm", subject: "payments-errors", detail: "in ALARM" }],
    });
  });

  it("status stops with the setup problem (exit 1) when AWS credentials are missing, rather than listing every stack as unreadable", async () => {
    const missing = new SetupError("aws-credentials", "AWS credentials are missing, invalid or expired: set AWS_ACCESS_KEY_ID …");
    world.health.check = async () => {
      throw missing;
    };
    const failure = await status(envs, { stage: "beta" }, world.ports()).catch((error: unknown) => error);
    expect(failure).to.equal(missing);
  });

  it("status shows a stack never released with nothing deployed and no alarms", async () => {
    const [gammaEast] = await status(envs, { stage: "gamma", region: "us-east-1" }, world.ports());
    expect(gammaEast).to.deep.equal({
      stack: "gamma-us-east-1",
      stage: "gamma",
      region: "us-east-1",
      wantedReleaseId: world.stacks("gamma")[0]?.releaseId,
      deployments: {},
      alarms: [],
    });
  });

  it("status shows the AppConfig deployments the stack's last update started", async () => {
    const [beta] = world.stacks("beta");
    const { outputs } = await world.engine.up(stackRefOf(beta!), earlierConfigOf(beta!), { policyConfig: {} });
    const [row] = await status(envs, { stage: "beta" }, world.ports());
    expect(row?.deployments).to.deep.equal(outputs.deploymentNumbers);
    expect(Object.keys(row?.deployments ?? {})).to.have.length(1);
  });

  it("status checks the health of what the stack runs, not of what envs/ would release", async () => {
    const [beta] = world.stacks("beta");
    const earlier = earlierConfigOf(beta!);
    world.engine.seed(stackRefOf(beta!), earlier);
    const checked: WatchTarget[] = [];
    const health = { watch: world.health.watch.bind(world.health), check: async (targets: WatchTarget[]) => (checked.push(...targets), { healthy: true as const }) };

    await status(envs, { stage: "beta" }, { engine: world.engine, health });

    expect(checked.map((t) => t.config.metadata?.releaseId)).to.deep.equal([earlier.metadata?.releaseId]);
  });

  it("status shows a stack whose release it cannot find in the history without a last update, checking what envs/ resolves to", async () => {
    const [beta] = world.stacks("beta");
    const checked: WatchTarget[] = [];
    const engine = { outputs: async () => outputsOf(beta!.config, 1), history: async () => [] };
    const health = { watch: world.health.watch.bind(world.health), check: async (targets: WatchTarget[]) => (checked.push(...targets), { healthy: true as const }) };

    const [row] = await status(envs, { stage: "beta" }, { engine: engine as unknown as Engine, health });

    expect(row).to.not.have.property("lastUpdate");
    expect(checked.map((t) => t.config)).to.deep.equal([beta!.config]);
  });

  it("status shows no health where the monitor cannot check without waiting", async () => {
    const [row] = await status(envs, { stage: "beta" }, { engine: world.engine, health: { watch: world.health.watch.bind(world.health) } });
    expect(row).to.include({ releaseId: world.stacks("beta")[0]?.releaseId });
    expect(row).to.not.have.property("health");
    expect(row).to.not.have.property("healthError");
  });

  it("status says why a stack's health could not be read, and goes on", async () => {
    world.health.check = async () => {
      throw new Error("Rate exceeded (Service: CloudWatch)");
    };
    const [row] = await status(envs, { stage: "beta" }, world.ports());
    expect(row?.healthError).to.equal("Rate exceeded (Service: CloudWatch)");
    expect(row).to.not.have.property("health");
  });

  it("status refuses an unknown stage, naming the stages there are", async () => {
    const error = await status(envs, { stage: "staging" }, world.ports()).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(UsageError).with.property("message", 'unknown stage "staging"; the stages are beta, gamma, prod');
  });

  it("history lists a stack's releases newest first, with who made them", async () => {
    const [beta] = await stackHistories(world.stacks("beta").map(stackRefOf), world.engine);
    expect(beta?.entries.map((e) => e.releasedBy)).to.deep.equal(["grace@example.com", "ada@example.com"]);
    expect(beta?.entries[0]?.releaseId).to.equal(world.stacks("beta")[0]?.releaseId);
  });

  it("history shows a release's healthy bake on the release, not as a release of its own", async () => {
    const [beta] = await stackHistories(world.stacks("beta").map(stackRefOf), world.engine);
    expect(beta?.entries).to.have.length(2);
    expect(beta?.entries[0]?.bakedAt?.toISOString()).to.equal(new Date(world.clock.now()).toISOString());
    expect(beta?.entries[1]?.bakedAt).to.equal(undefined);
  });
});
