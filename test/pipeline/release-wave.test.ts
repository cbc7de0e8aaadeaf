import { expect } from "chai";
import type { Envs, ResolvedStack } from "../../cli/config/model";
import { standingOf } from "../../cli/pipeline/history";
import { planRelease, stackRefOf, type PlannedWave } from "../../cli/pipeline/plan";
import { releaseWave, type Standing, type WaveOptions } from "../../cli/pipeline/release-wave";
import { readLedger } from "../../cli/pipeline/restore";
import { RELEASE_CONTEXT, sampleEnvs, World } from "./fakes/world";

describe("one wave of a release", () => {
  let envs: Envs;
  let world: World;
  let gamma: PlannedWave;

  before(async () => {
    envs = await sampleEnvs();
  });

  beforeEach(() => {
    world = new World(envs);
    world.seedPreviousRelease("gamma");
    const wave = planRelease(envs, { to: "gamma", stage: "gamma" }).stages[0]?.waves[0];
    if (wave === undefined) throw new Error("the sample has a gamma wave");
    gamma = wave;
  });

  /** Where each stack of the wave stands, read from its ledger as the release reads it when the stage starts. */
  async function standings(): Promise<(s: ResolvedStack) => Standing | undefined> {
    const read = new Map<string, Standing>();
    for (const s of gamma.stacks) {
      const ledger = await readLedger(stackRefOf(s), world.engine);
      read.set(s.name, { ledger, state: standingOf(ledger.position, s.releaseId) });
    }
    return (s) => read.get(s.name);
  }

  function options(overrides: Partial<WaveOptions> = {}): WaveOptions {
    return { parallel: 2, policyConfig: {}, dryRun: false, context: RELEASE_CONTEXT, releasedAt: new Date(world.clock.now()).toISOString(), ...overrides };
  }

  it("updates, bakes and records the bake of every stack that needs the release", async () => {
    const outcome = await releaseWave(gamma, await standings(), options(), world.ports());

    expect(outcome.kind).to.equal("done");
    expect(world.engine.updatesOf("up")).to.have.members(["gamma-us-east-1", "gamma-eu-west-1"]);
    expect(world.health.watches).to.deep.equal([{ stacks: ["gamma-us-east-1", "gamma-eu-west-1"], durationMs: gamma.bakeMinutes * 60_000 }]);
    expect(world.engine.bakeRecordsOf()).to.have.members(["gamma-us-east-1", "gamma-eu-west-1"]);
  });

  it("starts no other stack of the wave once an update has failed, and bakes nothing", async () => {
    world.engine.failUp("gamma-us-east-1", "AppConfig: the hosted configuration version exceeds 2 MB");

    const outcome = await releaseWave(gamma, await standings(), options({ parallel: 1 }), world.ports());

    expect(outcome).to.deep.equal({
      kind: "failed",
      failure: "update",
      cause: "release of gamma wave gamma failed:\n  gamma-us-east-1: AppConfig: the hosted configuration version exceeds 2 MB",
    });
    expect(world.engine.updatesOf("up")).to.deep.equal(["gamma-us-east-1"]);
    expect(world.health.watches).to.be.empty;
  });

  it("names every stack whose update failed when they ran at once", async () => {
    world.engine.failUp("gamma-us-east-1", "Rate exceeded");
    world.engine.failUp("gamma-eu-west-1", "Rate exceeded");

    const outcome = await releaseWave(gamma, await standings(), options(), world.ports());

    expect(outcome.kind === "failed" && outcome.cause.split("\n").slice(1)).to.deep.equal(["  gamma-us-east-1: Rate exceeded", "  gamma-eu-west-1: Rate exceeded"]);
  });

  it("an unhealthy bake fails the wave with each reason and records no bake", async () => {
    world.health.fireAlarm("gamma-eu-west-1", "checkout-5xx");

    const outcome = await releaseWave(gamma, await standings(), options(), world.ports());

    expect(outcome).to.deep.equal({ kind: "failed", failure: "bake", cause: "bake of gamma wave gamma failed:\n  gamma-eu-west-1: alarm checkout-5xx: in ALARM" });
    expect(world.engine.bakeRecordsOf()).to.be.empty;
  });

  it("once stopping, lets the running update finish, starts no other and ends interrupted without a bake", async () => {
    const stopping = new AbortController();
    world.engine.onUpStarted = () => stopping.abort();

    const outcome = await releaseWave(gamma, await standings(), options({ parallel: 1, stopping: stopping.signal }), world.ports());

    expect(outcome).to.deep.equal({ kind: "interrupted" });
    expect(world.engine.updatesOf("up")).to.deep.equal(["gamma-us-east-1"]);
    expect(world.health.watches).to.be.empty;
  });

  it("bakes the stacks an earlier run updated but never baked, without updating them again", async () => {
    const stopping = new AbortController();
    const record = world.reporter.emit.bind(world.reporter);
    world.reporter.emit = (event) => (event.type === "bake-progress" && stopping.abort(), record(event));
    expect(await releaseWave(gamma, await standings(), options({ stopping: stopping.signal }), world.ports())).to.deep.equal({ kind: "interrupted" });
    world.reporter.emit = record;
    const updates = world.engine.updatesOf("up").length;

    const outcome = await releaseWave(gamma, await standings(), options(), world.ports());

    expect(outcome.kind === "done" && outcome.results.map((r) => `${r.stack.name} ${r.result}`)).to.deep.equal(["gamma-us-east-1 baked", "gamma-eu-west-1 baked"]);
    expect(world.engine.updatesOf("up")).to.have.length(updates);
    expect(world.health.watches.at(-1)?.stacks).to.deep.equal(["gamma-us-east-1", "gamma-eu-west-1"]);
    expect(world.engine.bakeRecordsOf()).to.have.members(["gamma-us-east-1", "gamma-eu-west-1"]);
  });

  it("a dry run previews the stacks that need the release and updates none", async () => {
    const outcome = await releaseWave(gamma, await standings(), options({ dryRun: true }), world.ports());

    expect(outcome.kind === "done" && outcome.results.map((r) => `${r.stack.name} ${r.result}`)).to.deep.equal(["gamma-us-east-1 previewed", "gamma-eu-west-1 previewed"]);
    expect(world.engine.updatesOf("up")).to.be.empty;
  });
});
