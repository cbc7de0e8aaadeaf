import { expect } from "chai";
import type { Envs } from "../../cli/config/model";
import { ExitCode } from "../../cli/errors";
import { Interrupts } from "../../cli/pipeline/interrupts";
import { release } from "../../cli/pipeline/release";
import { failureOf, releaseOptions, sampleEnvs, World } from "./fakes/world";

describe("interrupting a release", () => {
  let envs: Envs;
  let world: World;

  before(async () => {
    envs = await sampleEnvs();
  });

  beforeEach(() => {
    world = new World(envs);
    world.seedPreviousRelease();
  });

  it("the first interrupt lets the running update finish, starts nothing new and reports what each stack holds (exit 130)", async () => {
    const interrupts = new Interrupts();
    world.engine.onUpStarted = (stack) => {
      if (stack.name === "gamma-us-east-1") interrupts.interrupt();
    };

    const error = await failureOf(release(envs, releaseOptions({ to: "gamma", interrupts }), world.ports()));

    expect(error.exitCode).to.equal(ExitCode.interrupted);
    const [gammaEast, gammaWest] = world.stacks("gamma");
    expect(world.engine.releaseOf("gamma-us-east-1")).to.equal(gammaEast?.releaseId);
    expect(world.engine.updatesOf("up")).to.not.include("gamma-eu-west-1");
    expect(world.reporter.of("interrupted")[0]?.stacks).to.deep.equal([
      { stack: "beta-us-west-2", releaseId: world.stacks("beta")[0]?.releaseId, current: true },
      { stack: "gamma-us-east-1", releaseId: gammaEast?.releaseId, current: true },
      { stack: "gamma-eu-west-1", releaseId: world.engine.releaseOf("gamma-eu-west-1"), current: false },
    ]);
    expect(gammaWest?.releaseId).to.not.equal(world.engine.releaseOf("gamma-eu-west-1"));
    expect(error.message).to.include("gamma-eu-west-1");
    expect(error.message).to.include("Run the same `dcp release` again to finish");
    expect(world.reporter.of("rollback-started")).to.be.empty;
  });

  it("re-running an interrupted release finishes it, updating only what is left", async () => {
    const interrupts = new Interrupts();
    world.engine.onUpStarted = (stack) => {
      if (stack.name === "gamma-us-east-1") interrupts.interrupt();
    };
    await failureOf(release(envs, releaseOptions({ to: "gamma", interrupts }), world.ports()));
    world.engine.onUpStarted = undefined;
    const upsBefore = world.engine.updatesOf("up").length;

    await release(envs, releaseOptions({ to: "gamma", interrupts: new Interrupts() }), world.ports());

    expect(world.engine.updatesOf("up").slice(upsBefore)).to.deep.equal(["gamma-eu-west-1"]);
    for (const stack of world.stacks("gamma")) expect(world.engine.releaseOf(stack.name)).to.equal(stack.releaseId);
  });

  it("an interrupt during a bake stops the bake and leaves the wave as it is", async () => {
    const interrupts = new Interrupts();
    world.reporter.emit = (event) => {
      if (event.type === "bake-progress" && event.elapsedMs >= 2 * 60_000) interrupts.interrupt();
    };

    const error = await failureOf(release(envs, releaseOptions({ to: "gamma", interrupts }), world.ports()));

    expect(error.exitCode).to.equal(ExitCode.interrupted);
    expect(world.engine.updatesOf("up")).to.deep.equal(["beta-us-west-2"]);
    expect(world.engine.releaseOf("beta-us-west-2")).to.equal(world.stacks("beta")[0]?.releaseId);
  });

  it("a second interrupt cancels the running updates through the abort signal, never `pulumi cancel`, which breaks a file backend's lock", async () => {
    const interrupts = new Interrupts();
    world.engine.holdUpdates();
    world.engine.onUpStarted = (stack) => {
      if (stack.name !== "beta-us-west-2") return;
      interrupts.interrupt();
      setImmediate(() => interrupts.interrupt());
    };

    const error = await failureOf(release(envs, releaseOptions({ to: "beta", interrupts }), world.ports()));

    expect(error.exitCode).to.equal(ExitCode.interrupted);
    expect(error.message).to.include("cancelled");
    expect(world.engine.releaseOf("beta-us-west-2")).to.not.equal(world.stacks("beta")[0]?.releaseId);
  });
});
