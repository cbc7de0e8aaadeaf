import { expect } from "chai";
import type { Envs } from "../../cli/config/model";
import { DeploymentError } from "../../cli/errors";
import { recordBaked, type BakeRecordOptions } from "../../cli/pipeline/bake-record";
import { stampRelease } from "../../cli/pipeline/metadata";
import { stackRefOf } from "../../cli/pipeline/plan";
import type { WatchTarget } from "../../cli/pipeline/ports";
import { RELEASE_CONTEXT, sampleEnvs, World } from "./fakes/world";

describe("recording that a release baked healthy", () => {
  let envs: Envs;
  let world: World;
  let targets: WatchTarget[];

  before(async () => {
    envs = await sampleEnvs();
  });

  /** Gamma's stacks, each updated to the release, as a wave leaves them for its bake. */
  beforeEach(async () => {
    world = new World(envs);
    targets = [];
    for (const s of world.stacks("gamma")) {
      const config = stampRelease(s.config, RELEASE_CONTEXT, new Date(world.clock.now()).toISOString(), undefined);
      const { outputs } = await world.engine.up(stackRefOf(s), config, { policyConfig: {} });
      targets.push({ stack: stackRefOf(s), config, outputs });
    }
  });

  const options = (overrides: Partial<BakeRecordOptions> = {}): BakeRecordOptions => ({ parallel: 2, policyConfig: {}, ...overrides });
  const failureOf = (work: Promise<unknown>) => work.then(() => expect.fail("recording was expected to fail"), (error: unknown) => error as Error);
  const bakeOnly = { when: (config: { metadata?: { bakedAt?: string } }) => config.metadata?.bakedAt !== undefined };

  it("records the bake of each stack in its ledger, at the time of the bake", async () => {
    await recordBaked("gamma wave gamma", targets, options(), world.ports());

    for (const s of world.stacks("gamma")) expect(world.engine.bakedReleaseOf(s.name), s.name).to.equal(s.releaseId);
    const [record] = await world.engine.history(stackRefOf(world.stacks("gamma")[0]!));
    expect(record?.config?.metadata?.bakedAt).to.equal(new Date(world.clock.now()).toISOString());
  });

  it("says which stack's bake could not be recorded, that nothing was rolled back, and that a re-run bakes it again", async () => {
    world.engine.failUp("gamma-eu-west-1", "the backend is unreachable", bakeOnly);

    const error = await failureOf(recordBaked("gamma wave gamma", targets, options(), world.ports()));

    expect(error).to.be.instanceOf(DeploymentError);
    expect(error.message).to.equal(
      [
        "gamma wave gamma baked healthy, but recording that failed on a stack; nothing was rolled back:",
        "  gamma-eu-west-1: the backend is unreachable",
        "Run the same `dcp release` again: it bakes gamma-eu-west-1 again before going on.",
      ].join("\n"),
    );
    expect(world.engine.bakedReleaseOf("gamma-us-east-1")).to.equal(world.stacks("gamma")[0]?.releaseId);
  });

  it("names every stack whose bake could not be recorded, each with its reason", async () => {
    world.engine.failUp("gamma-us-east-1", "Rate exceeded", bakeOnly);
    world.engine.failUp("gamma-eu-west-1", "the backend is unreachable", bakeOnly);

    const error = await failureOf(recordBaked("gamma wave gamma", targets, options(), world.ports()));

    expect(error.message).to.equal(
      [
        "gamma wave gamma baked healthy, but recording that failed on 2 stacks; nothing was rolled back:",
        "  gamma-us-east-1: Rate exceeded",
        "  gamma-eu-west-1: the backend is unreachable",
        "Run the same `dcp release` again: it bakes gamma-us-east-1, gamma-eu-west-1 again before going on.",
      ].join("\n"),
    );
  });

  it("is cancelled with the run (a second Ctrl-C): the bakes count as not recorded", async () => {
    const cancelling = new AbortController();
    cancelling.abort();

    const error = await failureOf(recordBaked("gamma wave gamma", targets, options({ cancelling: cancelling.signal }), world.ports()));

    expect(error.message).to.include("recording that failed on 2 stacks");
    for (const s of world.stacks("gamma")) expect(world.engine.bakedReleaseOf(s.name), s.name).to.equal(undefined);
  });

  it("is not refused by a policy made mandatory since the release was previewed: it changes nothing but metadata", async () => {
    world.engine.violate({ stack: "gamma-eu-west-1", policy: "flag-expiry", level: "advisory", message: "holiday-banner-2026 has expired" });

    await recordBaked("gamma wave gamma", targets, options({ policyConfig: { "flag-expiry": "mandatory" } }), world.ports());

    expect(world.engine.bakedReleaseOf("gamma-eu-west-1")).to.equal(world.stacks("gamma")[1]?.releaseId);
  });
});
