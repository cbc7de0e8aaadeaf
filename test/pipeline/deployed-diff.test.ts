import { expect } from "chai";
import type { Envs } from "../../cli/config/model";
import { UsageError } from "../../cli/errors";
import { deployedDiff, summariseStage } from "../../cli/pipeline/deployed-diff";
import { release } from "../../cli/pipeline/release";
import { releaseOptions, sampleEnvs, World } from "./fakes/world";

describe("the diff of a stage against what is deployed", () => {
  let envs: Envs;
  let world: World;

  before(async () => {
    envs = await sampleEnvs();
  });

  beforeEach(() => {
    world = new World(envs);
  });

  it("says a stack was never released rather than listing every value as new", async () => {
    const [beta] = await deployedDiff(envs, { stage: "beta" }, world.engine);
    expect(beta).to.deep.include({ stack: "beta-us-west-2", state: "never-released", changes: [] });
  });

  it("lists the values envs/ changes against the stack's last release", async () => {
    world.seedPreviousRelease("beta");
    const [beta] = await deployedDiff(envs, { stage: "beta" }, world.engine);
    expect(beta?.state).to.equal("changed");
    expect(beta?.changes).to.deep.equal([{ path: "flags.apple-pay.enabled", from: false, to: true }]);
  });

  it("says no change once envs/ has been released", async () => {
    world.seedPreviousRelease("beta");
    await release(envs, releaseOptions({ to: "beta" }), world.ports());
    const [beta] = await deployedDiff(envs, { stage: "beta" }, world.engine);
    expect(beta).to.deep.include({ state: "no-change", changes: [] });
  });

  it("flags a stack whose last update failed after its last release: part of it may be live too", async () => {
    world.seedPreviousRelease("gamma");
    world.engine.failUp("gamma-us-east-1", "the provider refused the update", { times: 2 });
    await release(envs, releaseOptions({ to: "gamma" }), world.ports()).catch(() => undefined);
    const [east, west] = await deployedDiff(envs, { stage: "gamma" }, world.engine);
    expect(east).to.include({ stack: "gamma-us-east-1", state: "changed", unfinished: true });
    expect(west).to.not.have.property("unfinished");
  });

  it("reads only the region asked for", async () => {
    const diffs = await deployedDiff(envs, { stage: "gamma", region: "eu-west-1" }, world.engine);
    expect(diffs.map((d) => d.stack)).to.deep.equal(["gamma-eu-west-1"]);
  });

  it("shows a change made the same way on several stacks of a stage once, with their regions", async () => {
    world.seedPreviousRelease("gamma");
    const summary = summariseStage("gamma", await deployedDiff(envs, { stage: "gamma" }, world.engine));
    expect(summary.changes).to.deep.equal([{ path: "flags.apple-pay.enabled", from: false, to: true, regions: ["us-east-1", "eu-west-1"] }]);
  });

  it("sets the stacks never released and those without a change apart in the stage's summary", async () => {
    world.seedPreviousRelease("prod");
    await release(envs, releaseOptions({ to: "prod", stage: "prod", region: "us-east-1" }), world.ports());
    const summary = summariseStage("prod", await deployedDiff(envs, { stage: "prod" }, world.engine));
    expect(summary.unchanged).to.deep.equal(["us-east-1"]);
    expect(summary.changes[0]?.regions).to.have.length(5);
    expect(summary.neverReleased).to.deep.equal([]);
  });

  it("refuses an unknown stage, and a region the stage does not deploy to", async () => {
    const unknown = await deployedDiff(envs, { stage: "staging" }, world.engine).catch((e: unknown) => e);
    expect(unknown).to.be.instanceOf(UsageError).with.property("message", 'unknown stage "staging"; the stages are beta, gamma, prod');
    const region = await deployedDiff(envs, { stage: "beta", region: "eu-west-1" }, world.engine).catch((e: unknown) => e);
    expect(region).to.be.instanceOf(UsageError).with.property("message", "no stack of beta is in region eu-west-1");
  });
});
