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

  /** Runs the wave once with the bake of gamma-eu-west-1 failing to be recorded: gamma-us-east-1 has baked the release, gamma-eu-west-1 holds it unbaked. */
  async function bakedOnlyOnUsEast1(): Promise<void> {
    world.engine.failUp("gamma-eu-west-1", "the backend is unreachable", { when: (config) => config.metadata?.bakedAt !== undefined });
    await releaseWave(gamma, await standings(), options(), world.ports()).catch(() => undefined);
  }

  const releaseOf = (name: string) => gamma.stacks.find((s) => s.name === name)?.releaseId;

  it("updates, bakes and records the bake of every stack that needs the release", async () => {
    const previous = world.engine.releaseOf("gamma-us-east-1");

    const outcome = await releaseWave(gamma, await standings(), options(), world.ports());

    expect(outcome.kind === "done" && outcome.results.map((r) => `${r.stack.name} ${r.result}`)).to.have.members(["gamma-us-east-1 updated", "gamma-eu-west-1 updated"]);
    expect(world.reporter.of("wave-started")).to.deep.equal([{ type: "wave-started", stage: "gamma", wave: "gamma", stacks: ["gamma-us-east-1", "gamma-eu-west-1"] }]);
    expect(world.reporter.of("stack-updating")[0]).to.deep.equal({ type: "stack-updating", stack: "gamma-us-east-1", releaseId: releaseOf("gamma-us-east-1"), from: previous });
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
    expect(world.reporter.of("stack-failed")).to.deep.equal([{ type: "stack-failed", stack: "gamma-us-east-1", message: "AppConfig: the hosted configuration version exceeds 2 MB" }]);
  });

  it("updates a stack nothing is known about as one that needs the release, saying from nothing", async () => {
    world = new World(envs);

    const outcome = await releaseWave(gamma, () => undefined, options(), world.ports());

    expect(outcome.kind === "done" && outcome.results.map((r) => `${r.stack.name} ${r.result}`)).to.have.members(["gamma-us-east-1 updated", "gamma-eu-west-1 updated"]);
    expect(world.reporter.of("stack-updating")[0]).to.deep.equal({ type: "stack-updating", stack: "gamma-us-east-1", releaseId: releaseOf("gamma-us-east-1") });
  });

  it("stops a wave whose stack breaks a mandatory policy before anything in it is updated", async () => {
    world.engine.violate({ stack: "gamma-eu-west-1", policy: "no-debug-logging", level: "mandatory", message: "checkout logs at DEBUG", resource: "checkout-profile" });

    const failure = await releaseWave(gamma, await standings(), options(), world.ports()).catch((e: unknown) => e);

    expect((failure as Error).message).to.equal(
      "1 mandatory policy violation in gamma wave gamma; nothing in it was deployed:\n  gamma-eu-west-1: [no-debug-logging] checkout logs at DEBUG (checkout-profile)",
    );
    expect(world.engine.updatesOf("up")).to.be.empty;
  });

  it("once stopping during the previews, updates nothing and ends interrupted", async () => {
    const stopping = new AbortController();
    const record = world.reporter.emit.bind(world.reporter);
    world.reporter.emit = (event) => (event.type === "preview-done" && stopping.abort(), record(event));

    const outcome = await releaseWave(gamma, await standings(), options({ stopping: stopping.signal }), world.ports());

    expect(outcome).to.deep.equal({ kind: "interrupted" });
    expect(world.engine.updatesOf("preview")).to.have.length(2);
    expect(world.engine.updatesOf("up")).to.be.empty;
  });

  it("a second Ctrl-C cancels the previews: nothing is updated and the wave ends interrupted, not failed", async () => {
    const stopping = new AbortController();
    const cancelling = new AbortController();
    stopping.abort();
    cancelling.abort();

    const outcome = await releaseWave(gamma, await standings(), options({ stopping: stopping.signal, cancelling: cancelling.signal }), world.ports());

    expect(outcome).to.deep.equal({ kind: "interrupted" });
    expect(world.reporter.of("preview-done"), "no preview finished").to.be.empty;
    expect(world.engine.updatesOf("up")).to.be.empty;
  });

  it("a preview that fails while only stopping (a first Ctrl-C) still fails the wave", async () => {
    const stopping = new AbortController();
    stopping.abort();
    world.engine.lock("gamma-eu-west-1");

    const failure = await releaseWave(gamma, await standings(), options({ stopping: stopping.signal }), world.ports()).catch((e: unknown) => e);

    expect((failure as Error).message).to.include("stack gamma-eu-west-1 is locked by another update");
  });

  it("skips a stack on which the release has baked healthy, and bakes alone the one that holds it unbaked", async () => {
    await bakedOnlyOnUsEast1();
    const eventsBefore = world.reporter.events.length;
    const updates = world.engine.updatesOf("up").length;

    const outcome = await releaseWave(gamma, await standings(), options(), world.ports());

    expect(outcome.kind === "done" && outcome.results.map((r) => `${r.stack.name} ${r.result}`)).to.deep.equal(["gamma-us-east-1 skipped", "gamma-eu-west-1 baked"]);
    expect(world.reporter.events.slice(eventsBefore).filter((e) => e.type === "stack-skipped")).to.deep.equal([
      { type: "stack-skipped", stack: "gamma-us-east-1", releaseId: releaseOf("gamma-us-east-1"), reason: "this release has baked healthy on it" },
      { type: "stack-skipped", stack: "gamma-eu-west-1", releaseId: releaseOf("gamma-eu-west-1"), reason: "holds this release, which has not baked on it yet" },
    ]);
    expect(world.engine.updatesOf("up")).to.have.length(updates);
    expect(world.health.watches.at(-1)?.stacks).to.deep.equal(["gamma-eu-west-1"]);
  });

  it("a dry run counts a stack that holds the release unbaked as skipped, and watches nothing", async () => {
    await bakedOnlyOnUsEast1();
    const watches = world.health.watches.length;

    const outcome = await releaseWave(gamma, await standings(), options({ dryRun: true }), world.ports());

    expect(outcome.kind === "done" && outcome.results.map((r) => `${r.stack.name} ${r.result}`)).to.deep.equal(["gamma-us-east-1 skipped", "gamma-eu-west-1 skipped"]);
    expect(world.health.watches).to.have.length(watches);
  });

  it("a wave on whose every stack the release has baked healthy is skipped: no preview, no bake", async () => {
    await releaseWave(gamma, await standings(), options(), world.ports());
    const calls = world.engine.calls.length;
    const watches = world.health.watches.length;

    const outcome = await releaseWave(gamma, await standings(), options(), world.ports());

    expect(outcome.kind === "done" && outcome.results.map((r) => r.result)).to.deep.equal(["skipped", "skipped"]);
    expect(outcome.kind === "done" && outcome.violations).to.deep.equal([]);
    expect(world.engine.calls.slice(calls).filter((c) => c.op === "preview" || c.op === "up")).to.be.empty;
    expect(world.health.watches).to.have.length(watches);
    expect(world.reporter.of("bake-started")).to.have.length(1);
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

  it("an unhealthy bake names every reason, one per line", async () => {
    world.health.fireAlarm("gamma-us-east-1", "checkout-5xx");
    world.health.fireAlarm("gamma-eu-west-1", "payments-errors");

    const outcome = await releaseWave(gamma, await standings(), options(), world.ports());

    expect(outcome.kind === "failed" && outcome.cause.split("\n")).to.deep.equal([
      "bake of gamma wave gamma failed:",
      "  gamma-us-east-1: alarm checkout-5xx: in ALARM",
      "  gamma-eu-west-1: alarm payments-errors: in ALARM",
    ]);
  });

  it("once stopping, lets the running update finish, starts no other and ends interrupted without a bake", async () => {
    const stopping = new AbortController();
    world.deployments.takeMs(20 * 60_000);
    world.engine.onUpStarted = () => stopping.abort();

    const outcome = await releaseWave(gamma, await standings(), options({ parallel: 1, stopping: stopping.signal }), world.ports());

    expect(outcome).to.deep.equal({ kind: "interrupted" });
    expect(world.engine.updatesOf("up")).to.deep.equal(["gamma-us-east-1"]);
    expect(world.health.watches).to.be.empty;
    expect(world.reporter.of("appconfig-deployed"), "it does not wait for the AppConfig deployment the update started").to.be.empty;
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
    for (const s of gamma.stacks) {
      const [record] = await world.engine.history(stackRefOf(s));
      expect(record?.config?.metadata, `the bake record of ${s.name} keeps who released what`).to.include({ releaseId: s.releaseId, releasedBy: RELEASE_CONTEXT.releasedBy, gitCommit: RELEASE_CONTEXT.gitCommit });
    }
  });

  it("fails, rather than bakes nothing, when a stack's history says it holds the release but it has no outputs", async () => {
    await bakedOnlyOnUsEast1();
    const outputs = world.engine.outputs.bind(world.engine);
    world.engine.outputs = async (ref) => (ref.name === "gamma-eu-west-1" ? undefined : outputs(ref));

    const failure = await releaseWave(gamma, await standings(), options(), world.ports()).catch((e: unknown) => e);

    expect((failure as Error).message).to.equal(`gamma-eu-west-1: its history says it holds ${releaseOf("gamma-eu-west-1")}, but it has no outputs`);
  });

  it("a dry run previews the stacks that need the release and updates none", async () => {
    const outcome = await releaseWave(gamma, await standings(), options({ dryRun: true }), world.ports());

    expect(outcome.kind === "done" && outcome.results.map((r) => `${r.stack.name} ${r.result}`)).to.deep.equal(["gamma-us-east-1 previewed", "gamma-eu-west-1 previewed"]);
    expect(world.engine.updatesOf("up")).to.be.empty;
  });
});
