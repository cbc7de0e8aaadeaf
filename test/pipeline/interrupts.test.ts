import { expect } from "chai";
import type { Envs } from "../../cli/config/model";
import { ExitCode } from "../../cli/errors";
import { Interrupts } from "../../cli/pipeline/interrupts";
import { release } from "../../cli/pipeline/release";
import { stackRefOf } from "../../cli/pipeline/plan";
import { ScriptedApprover } from "./fakes/approver";
import { contentHashesOf } from "./fakes/engine";
import { earlierConfigOf, failureOf, releaseOptions, sampleEnvs, withApproval, World } from "./fakes/world";

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

  /** A release to gamma, interrupted as gamma-us-east-1's update starts: that stack gets the release, gamma-eu-west-1 does not. */
  async function interruptedAsGammaUsEast1Updates(): Promise<void> {
    const interrupts = new Interrupts();
    world.engine.onUpStarted = (stack) => {
      if (stack.name === "gamma-us-east-1") interrupts.interrupt();
    };
    await failureOf(release(envs, releaseOptions({ to: "gamma", interrupts }), world.ports()));
    world.engine.onUpStarted = undefined;
  }

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
    expect(error.message).to.equal(
      [
        "interrupted: nothing new was started, running updates finished.",
        "Stacks hold:",
        `  beta-us-west-2: ${world.stacks("beta")[0]?.releaseId} (this release)`,
        `  gamma-us-east-1: ${gammaEast?.releaseId} (this release)`,
        `  gamma-eu-west-1: ${world.engine.releaseOf("gamma-eu-west-1")} (previous release)`,
        "Run the same `dcp release` again to finish (it updates and bakes what has not baked the release healthy, and skips the rest), or `dcp rollback <stage>` to undo.",
      ].join("\n"),
    );
    expect(world.reporter.of("interrupt-requested")).to.deep.equal([
      { type: "interrupt-requested", action: "stopping", message: "finishing the running updates, then stopping; interrupt again to cancel them" },
    ]);
    expect(world.reporter.of("rollback-started")).to.be.empty;
  });

  it("an interrupt before anything started deploys nothing and lists no stack", async () => {
    const interrupts = new Interrupts();
    interrupts.interrupt();

    const error = await failureOf(release(envs, releaseOptions({ to: "gamma", interrupts }), world.ports()));

    expect(error.exitCode).to.equal(ExitCode.interrupted);
    expect(error.message).to.equal(
      [
        "interrupted: nothing new was started, running updates finished.",
        "Run the same `dcp release` again to finish (it updates and bakes what has not baked the release healthy, and skips the rest), or `dcp rollback <stage>` to undo.",
      ].join("\n"),
    );
    expect(world.reporter.of("interrupted")).to.deep.equal([{ type: "interrupted", stacks: [] }]);
    expect(world.engine.updatesOf("preview")).to.be.empty;
  });

  it("says a stack of the stage that was never released is never released", async () => {
    world = new World(envs);
    const interrupts = new Interrupts();
    world.engine.onUpStarted = (stack) => {
      if (stack.name === "gamma-us-east-1") interrupts.interrupt();
    };

    const error = await failureOf(release(envs, releaseOptions({ to: "gamma", interrupts }), world.ports()));

    expect(world.reporter.of("interrupted")[0]?.stacks.at(-1)).to.deep.equal({ stack: "gamma-eu-west-1", current: false });
    expect(error.message).to.include("\n  gamma-eu-west-1: never released\n");
  });

  it("says what a stack holds is unknown when its history cannot be read, rather than that it was never released", async () => {
    const interrupts = new Interrupts();
    world.engine.onUpStarted = (stack) => {
      if (stack.name !== "gamma-us-east-1") return;
      interrupts.interrupt();
      const history = world.engine.history.bind(world.engine);
      world.engine.history = async (ref) => {
        if (ref.name === "gamma-eu-west-1") throw new Error("the state backend cannot be reached");
        return history(ref);
      };
    };

    const error = await failureOf(release(envs, releaseOptions({ to: "gamma", interrupts }), world.ports()));

    expect(error.exitCode).to.equal(ExitCode.interrupted);
    expect(world.reporter.of("interrupted")[0]?.stacks.at(-1)).to.deep.equal({ stack: "gamma-eu-west-1", current: false, unreadable: "the state backend cannot be reached" });
    expect(error.message).to.include("\n  gamma-eu-west-1: unknown, its history could not be read: the state backend cannot be reached\n");
  });

  it("once the release has ended, an interrupt says nothing about stopping it", async () => {
    const interrupts = new Interrupts();
    await release(envs, releaseOptions({ to: "beta", interrupts }), world.ports());

    interrupts.interrupt();
    interrupts.interrupt();

    expect(world.reporter.of("interrupt-requested")).to.be.empty;
  });

  it("re-running an interrupted release finishes it, updating only what is left", async () => {
    await interruptedAsGammaUsEast1Updates();
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
    expect(error.message).to.match(/^interrupted: nothing new was started, running updates were cancelled and may be partly applied\./);
    expect(world.engine.releaseOf("beta-us-west-2")).to.not.equal(world.stacks("beta")[0]?.releaseId);
    expect(world.reporter.of("interrupt-requested").map((e) => `${e.action}: ${e.message}`)).to.deep.equal([
      "stopping: finishing the running updates, then stopping; interrupt again to cancel them",
      "cancelling: cancelling the running updates",
    ]);
  });

  it("a second interrupt while the wave is previewed cancels the previews and exits 130, not as a failed deployment", async () => {
    const interrupts = new Interrupts();
    const preview = world.engine.preview.bind(world.engine);
    world.engine.preview = (stack, config, options) => {
      if (stack.name === "gamma-us-east-1") {
        interrupts.interrupt();
        interrupts.interrupt();
      }
      return preview(stack, config, options);
    };

    const error = await failureOf(release(envs, releaseOptions({ to: "gamma", interrupts }), world.ports()));

    expect(error.exitCode).to.equal(ExitCode.interrupted);
    expect(world.engine.updatesOf("up")).to.deep.equal(["beta-us-west-2"]);
    expect(world.reporter.of("rollback-started")).to.be.empty;
  });

  describe("re-running after an interrupt bakes what was never baked", () => {
    /** Interrupts the release once a bake of `stage` has run for two minutes. */
    function interruptDuringBakeOf(stage: string, interrupts: Interrupts): void {
      const record = world.reporter.emit.bind(world.reporter);
      world.reporter.emit = (event) => {
        record(event);
        if (event.type === "bake-progress" && event.stage === stage && event.elapsedMs >= 2 * 60_000) interrupts.interrupt();
      };
    }

    it("an interrupt during beta's bake: the re-run bakes beta without updating it again, then goes on to gamma", async () => {
      const interrupts = new Interrupts();
      interruptDuringBakeOf("beta", interrupts);
      await failureOf(release(envs, releaseOptions({ to: "gamma", interrupts }), world.ports()));
      expect(world.engine.bakedReleaseOf("beta-us-west-2")).to.equal(undefined);
      const upsBefore = world.engine.updatesOf("up").length;
      const watchesBefore = world.health.watches.length;

      const summary = await release(envs, releaseOptions({ to: "gamma" }), world.ports());

      expect(world.engine.updatesOf("up").slice(upsBefore)).to.deep.equal(["gamma-us-east-1", "gamma-eu-west-1"]);
      expect(world.health.watches.slice(watchesBefore).map((w) => w.stacks)).to.deep.equal([["beta-us-west-2"], ["gamma-us-east-1", "gamma-eu-west-1"]]);
      expect(summary.stacks.find((s) => s.stack === "beta-us-west-2")?.result).to.equal("baked");
      for (const stack of world.stacks("beta").concat(world.stacks("gamma"))) {
        expect(world.engine.bakedReleaseOf(stack.name), stack.name).to.equal(stack.releaseId);
      }
    });

    it("an interrupt during a wave: the re-run bakes the stacks the first run updated together with the rest of the wave", async () => {
      await interruptedAsGammaUsEast1Updates();
      const watchesBefore = world.health.watches.length;

      await release(envs, releaseOptions({ to: "gamma" }), world.ports());

      expect(world.health.watches.slice(watchesBefore).map((w) => w.stacks)).to.deep.equal([["gamma-eu-west-1", "gamma-us-east-1"]]);
      expect(world.engine.bakeRecordsOf().filter((s) => s.startsWith("gamma"))).to.have.members(["gamma-us-east-1", "gamma-eu-west-1"]);
    });

    it("an alarm in the re-run's bake rolls back every stack of the stage holding the release, those the first run updated included", async () => {
      const previous = new Map(world.stacks("gamma").map((s) => [s.name, world.engine.releaseOf(s.name)]));
      await interruptedAsGammaUsEast1Updates();
      world.health.fireAlarm("gamma-us-east-1", "checkout-5xx");

      const error = await failureOf(release(envs, releaseOptions({ to: "gamma" }), world.ports()));

      expect(error.exitCode).to.equal(ExitCode.bakeFailed);
      for (const stack of world.stacks("gamma")) expect(world.engine.releaseOf(stack.name), stack.name).to.equal(previous.get(stack.name));
      expect(world.reporter.of("rollback-started").at(-1)?.stacks).to.have.members(["gamma-us-east-1", "gamma-eu-west-1"]);
    });

    it("a whole stage left unbaked by an interrupt is baked by the re-run, which rolls it back when an alarm fires", async () => {
      const previous = world.engine.releaseOf("beta-us-west-2");
      const interrupts = new Interrupts();
      interruptDuringBakeOf("beta", interrupts);
      await failureOf(release(envs, releaseOptions({ to: "beta", interrupts }), world.ports()));
      world.health.fireAlarm("beta-us-west-2", "checkout-5xx", { skipWatches: 1 });

      const error = await failureOf(release(envs, releaseOptions({ to: "gamma" }), world.ports()));

      expect(error.exitCode).to.equal(ExitCode.bakeFailed);
      expect(error.message).to.include("beta-us-west-2: alarm checkout-5xx");
      expect(world.engine.releaseOf("beta-us-west-2")).to.equal(previous);
      expect(world.engine.updatesOf("up").filter((s) => s.startsWith("gamma"))).to.be.empty;
    });

    it("a stage left unbaked by an interrupt is baked by the re-run without asking for approval again: nothing in it changes", async () => {
      const betaManual = withApproval(envs, "beta", "manual");
      const interrupts = new Interrupts();
      interruptDuringBakeOf("beta", interrupts);
      await failureOf(release(betaManual, releaseOptions({ to: "beta", interrupts }), world.ports()));
      const approver = new ScriptedApprover([]);

      await release(betaManual, releaseOptions({ to: "beta", approve: false }), world.ports(approver));

      expect(approver.asked).to.be.empty;
      expect(world.engine.bakedReleaseOf("beta-us-west-2")).to.equal(world.stacks("beta")[0]?.releaseId);
    });

    it("the re-run asks to approve only the stacks that still change: not the canary an interrupted run updated", async () => {
      const interrupts = new Interrupts();
      interruptDuringBakeOf("prod", interrupts);
      await failureOf(release(envs, releaseOptions({ interrupts }), world.ports()));
      const approver = new ScriptedApprover([true]);

      await release(envs, releaseOptions({ approve: false }), world.ports(approver));

      expect(approver.asked).to.deep.equal(["prod"]);
      expect(world.reporter.of("approval-required").at(-1)?.summary).to.match(/^prod: 5 stack\(s\) change in/);
      for (const stack of world.stacks("prod")) expect(world.engine.bakedReleaseOf(stack.name), stack.name).to.equal(stack.releaseId);
    });

    it("an interrupt between a stack's AppConfig deployments: the re-run deploys the profiles left before it bakes", async () => {
      world = new World(envs);
      const [beta] = world.stacks("beta");
      if (beta === undefined) throw new Error("the sample has a beta stack");
      const previous = earlierConfigOf(beta);
      const checkout = previous.components.checkout;
      if (checkout === undefined) throw new Error("the sample has a checkout component");
      checkout.config = { ...checkout.config, logLevel: "WARN" };
      world.engine.seed(stackRefOf(beta), previous);
      world.deployments.takeMs(4 * 60_000);
      const interrupts = new Interrupts();
      world.engine.onUpStarted = () => interrupts.interrupt();
      await failureOf(release(envs, releaseOptions({ to: "beta", interrupts }), world.ports()));
      world.engine.onUpStarted = undefined;
      expect(world.engine.servedOf(beta.name).checkout, "the first run stopped before it deployed checkout").to.equal(contentHashesOf(previous).checkout);

      const summary = await release(envs, releaseOptions({ to: "beta" }), world.ports());

      expect(summary.stacks.map((s) => `${s.stack} ${s.result}`)).to.deep.equal(["beta-us-west-2 updated"]);
      expect(world.engine.servedOf(beta.name)).to.deep.equal(contentHashesOf(beta.config));
      expect(world.engine.bakedReleaseOf(beta.name)).to.equal(beta.releaseId);
    });

    it("a stack whose bake could not be recorded counts as not baked: the run says so, rolls nothing back, and a re-run bakes it again", async () => {
      world.engine.failUp("beta-us-west-2", "the backend is unreachable", { when: (config) => config.metadata?.bakedAt !== undefined });

      const error = await failureOf(release(envs, releaseOptions({ to: "beta" }), world.ports()));

      expect(error.exitCode).to.equal(ExitCode.deploymentFailed);
      expect(error.message).to.include("beta wave beta baked healthy, but recording that failed on a stack; nothing was rolled back");
      expect(world.reporter.of("rollback-started")).to.be.empty;
      expect(world.engine.releaseOf("beta-us-west-2")).to.equal(world.stacks("beta")[0]?.releaseId);
      const watchesBefore = world.health.watches.length;
      const upsBefore = world.engine.updatesOf("up").length;

      await release(envs, releaseOptions({ to: "beta" }), world.ports());

      expect(world.health.watches.slice(watchesBefore).map((w) => w.stacks)).to.deep.equal([["beta-us-west-2"]]);
      expect(world.engine.updatesOf("up")).to.have.length(upsBefore);
      expect(world.engine.bakedReleaseOf("beta-us-west-2")).to.equal(world.stacks("beta")[0]?.releaseId);
    });
  });
});
