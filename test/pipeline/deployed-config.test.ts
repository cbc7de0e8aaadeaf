import { expect } from "chai";
import type { Envs } from "../../cli/config/model";
import { deployedConfig, deployedConfigs } from "../../cli/pipeline/deployed-config";
import { stackRefOf } from "../../cli/pipeline/plan";
import { release } from "../../cli/pipeline/release";
import { failureOf, releaseOptions, sampleEnvs, World } from "./fakes/world";

describe("the deployed config of a stack", () => {
  let envs: Envs;
  let world: World;

  before(async () => {
    envs = await sampleEnvs();
  });

  beforeEach(() => {
    world = new World(envs);
  });

  it("is absent for a stack never released", async () => {
    const [beta] = world.stacks("beta");
    const deployed = await deployedConfig(stackRefOf(beta!), world.engine);
    expect(deployed).to.deep.equal({ stack: stackRefOf(beta!), unfinished: false });
  });

  it("is the StackConfig of the stack's last successful release, not what envs/ holds now", async () => {
    const previous = world.seedPreviousRelease("beta");
    const [beta] = world.stacks("beta");
    const deployed = await deployedConfig(stackRefOf(beta!), world.engine);
    expect(deployed.config?.flags["apple-pay"]?.value).to.deep.equal(previous.get("beta-us-west-2")?.flags["apple-pay"]?.value);
    expect(deployed.config?.flags["apple-pay"]?.value).not.to.deep.equal(beta!.config.flags["apple-pay"]?.value);
  });

  it("is the release a failed update was rolled back to", async () => {
    const previous = world.seedPreviousRelease("beta");
    world.engine.failUp("beta-us-west-2", "the provider refused the update");
    await failureOf(release(envs, releaseOptions({ to: "beta" }), world.ports()));
    const [deployed] = await deployedConfigs(world.stacks("beta").map(stackRefOf), world.engine);
    expect(deployed?.config?.metadata?.releaseId).to.equal(previous.get("beta-us-west-2")?.metadata?.releaseId);
    expect(deployed?.unfinished).to.equal(false);
  });

  it("stays the last successful release's config when both the update and its rollback failed, and says so", async () => {
    const previous = world.seedPreviousRelease("beta");
    world.engine.failUp("beta-us-west-2", "the provider refused the update", { times: 2 });
    await failureOf(release(envs, releaseOptions({ to: "beta" }), world.ports()));
    const [deployed] = await deployedConfigs(world.stacks("beta").map(stackRefOf), world.engine);
    expect(deployed?.config?.metadata?.releaseId).to.equal(previous.get("beta-us-west-2")?.metadata?.releaseId);
    expect(deployed?.unfinished).to.equal(true);
  });

  it("follows a release: the stack then runs what envs/ resolves to", async () => {
    world.seedPreviousRelease("beta");
    await release(envs, releaseOptions({ to: "beta" }), world.ports());
    const [beta] = world.stacks("beta");
    const [deployed] = await deployedConfigs([stackRefOf(beta!)], world.engine);
    expect(deployed?.config?.metadata?.releaseId).to.equal(beta!.releaseId);
    expect(deployed?.unfinished).to.equal(false);
  });
});
