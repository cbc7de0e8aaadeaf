import { expect } from "chai";
import type { Envs } from "../../cli/config/model";
import { ExitCode } from "../../cli/errors";
import { release } from "../../cli/pipeline/release";
import { ScriptedApprover } from "./fakes/approver";
import { failureOf, releaseOptions, sampleEnvs, withApproval, World } from "./fakes/world";

describe("release", () => {
  let envs: Envs;
  let world: World;

  before(async () => {
    envs = await sampleEnvs();
  });

  beforeEach(() => {
    world = new World(envs);
    world.seedPreviousRelease();
  });

  describe("a clean release to gamma", () => {
    it("walks beta then gamma, wave by wave, and leaves prod alone", async () => {
      await release(envs, releaseOptions({ to: "gamma" }), world.ports());

      expect(world.engine.updatesOf("up")).to.deep.equal(["beta-us-west-2", "gamma-us-east-1", "gamma-eu-west-1"]);
      expect(world.reporter.of("wave-started").map((e) => `${e.stage}/${e.wave}`)).to.deep.equal(["beta/beta", "gamma/gamma"]);
      for (const stack of world.stacks("gamma")) expect(world.engine.releaseOf(stack.name)).to.equal(stack.releaseId);
      for (const stack of world.stacks("prod")) expect(world.engine.releaseOf(stack.name)).to.not.equal(stack.releaseId);
    });

    it("previews every stack of a wave before updating any, and bakes each wave before the next starts", async () => {
      await release(envs, releaseOptions({ to: "gamma" }), world.ports());

      const gammaOps = world.engine.calls.filter((c) => c.stack.startsWith("gamma") && !c.bakeRecord && (c.op === "preview" || c.op === "up")).map((c) => c.op);
      expect(gammaOps).to.deep.equal(["preview", "preview", "up", "up"]);
      const types = world.reporter.events.map((e) => e.type);
      expect(types.indexOf("bake-done")).to.be.lessThan(types.lastIndexOf("wave-started"));
      expect(world.health.watches).to.deep.equal([
        { stacks: ["beta-us-west-2"], durationMs: 5 * 60_000 },
        { stacks: ["gamma-us-east-1", "gamma-eu-west-1"], durationMs: 30 * 60_000 },
      ]);
    });

    it("records who released what, from which commit, and what each stack ran before", async () => {
      const before = world.engine.configOf("beta-us-west-2");
      const startedAt = new Date(world.clock.now()).toISOString();
      const deployedBefore = (await world.engine.outputs({ stage: "beta", region: "us-west-2", name: "beta-us-west-2" }))?.contentHashes;

      await release(envs, releaseOptions({ to: "beta" }), world.ports());

      const metadata = world.engine.configOf("beta-us-west-2")?.metadata;
      expect(before?.metadata?.releaseId).to.not.equal(metadata?.releaseId);
      expect(metadata).to.include({ releasedBy: "grace@example.com", gitCommit: "c0ffee1", ci: "github-actions" });
      expect(metadata?.releasedAt).to.equal(startedAt);
      expect(metadata?.deployedContent).to.deep.equal(deployedBefore);
    });

    it("says what it walks, and when each stage starts and is done, then that it finished", async () => {
      await release(envs, releaseOptions({ to: "gamma" }), world.ports());

      expect(world.reporter.of("release-started")).to.deep.equal([{ type: "release-started", workload: "storefront", stages: ["beta", "gamma"], dryRun: false }]);
      const stageEvents = world.reporter.events.flatMap((e) => (e.type === "stage-started" || e.type === "stage-done" ? [`${e.type} ${e.stage}`] : []));
      expect(stageEvents).to.deep.equal(["stage-started beta", "stage-done beta", "stage-started gamma", "stage-done gamma"]);
      expect(world.reporter.events.at(-1)).to.deep.equal({ type: "finished", exitCode: ExitCode.ok });
    });

    it("passes each stage's policy config to the engine", async () => {
      const seen: unknown[] = [];
      const engine = world.engine;
      const preview = engine.preview.bind(engine);
      engine.preview = (stack, config, options) => {
        seen.push([stack.stage, options.policyConfig]);
        return preview(stack, config, options);
      };
      await release(envs, releaseOptions({ to: "gamma" }), world.ports());
      expect(seen).to.deep.equal([
        ["beta", { stage: "beta" }],
        ["gamma", { stage: "gamma" }],
        ["gamma", { stage: "gamma" }],
      ]);
    });
  });

  describe("prod approval", () => {
    it("asks on a terminal and releases prod when the person says yes", async () => {
      const approver = new ScriptedApprover([true]);
      await release(envs, releaseOptions({ approve: false }), world.ports(approver));
      expect(approver.asked).to.deep.equal(["prod"]);
      for (const stack of world.stacks("prod")) expect(world.engine.releaseOf(stack.name)).to.equal(stack.releaseId);
      expect(world.reporter.of("approval-required")).to.deep.equal([
        {
          type: "approval-required",
          stage: "prod",
          summary: "prod: 6 stack(s) change in 3 wave(s): canary [us-east-1] → americas-europe [us-west-2, eu-west-1] → rest-of-world [eu-central-1, ap-southeast-2, ap-northeast-1]",
        },
      ]);
      expect(world.reporter.of("approved")).to.deep.equal([{ type: "approved", stage: "prod", by: "prompt" }]);
    });

    it("deploys nothing to prod when the person says no, and exits 1", async () => {
      const error = await failureOf(release(envs, releaseOptions({ approve: false }), world.ports(new ScriptedApprover([false]))));
      expect(error.exitCode).to.equal(ExitCode.usage);
      expect(error.message).to.match(/prod was not approved; nothing was deployed to it/);
      expect(world.engine.updatesOf("up").filter((s) => s.startsWith("prod"))).to.be.empty;
      expect(world.engine.releaseOf("gamma-us-east-1")).to.equal(world.stacks("gamma")[0]?.releaseId);
    });

    it("in CI without --approve, exits 1 before deploying anything and says to pass --approve", async () => {
      const error = await failureOf(release(envs, releaseOptions({ approve: false }), world.ports()));
      expect(error.exitCode).to.equal(ExitCode.usage);
      expect(error.message).to.equal(
        "prod needs a person's approval and there is no terminal to ask on: pass --approve (in CI, once a person has approved the run), or run dcp release on a terminal. Nothing was deployed.",
      );
      expect(world.engine.updatesOf("up")).to.be.empty;
    });

    it("in CI without --approve, names every stage of the run that needs a person's approval", async () => {
      const gammaManual = withApproval(envs, "gamma", "manual");

      const error = await failureOf(release(gammaManual, releaseOptions({ approve: false }), world.ports()));

      expect(error.message).to.match(/^gamma, prod need a person's approval and there is no terminal to ask on/);
      expect(world.engine.updatesOf("up")).to.be.empty;
    });

    it("in CI without --approve, releases the stages that need no approval", async () => {
      await release(envs, releaseOptions({ to: "gamma", approve: false }), world.ports());

      for (const stack of world.stacks("gamma")) expect(world.engine.releaseOf(stack.name)).to.equal(stack.releaseId);
      expect(world.reporter.of("approval-required")).to.be.empty;
    });

    it("with --approve, releases prod without asking", async () => {
      const approver = new ScriptedApprover([]);
      await release(envs, releaseOptions({ approve: true }), world.ports(approver));
      expect(approver.asked).to.be.empty;
      expect(world.reporter.of("approved")).to.deep.equal([{ type: "approved", stage: "prod", by: "flag" }]);
    });
  });

  describe("policy gates", () => {
    it("a mandatory violation in prod's wave 2 deploys nothing of wave 2, leaves wave 1 as it was, and lists every violation", async () => {
      world.engine.violate({ stack: "prod-eu-west-1", policy: "prod-no-debug-logging", level: "mandatory", message: "checkout logs at DEBUG" });
      world.engine.violate({ stack: "prod-us-west-2", policy: "prod-min-final-bake", level: "mandatory", message: "final bake 5 < 30 minutes" });

      const error = await failureOf(release(envs, releaseOptions(), world.ports()));

      expect(error.exitCode).to.equal(ExitCode.policyViolation);
      expect(error.message).to.include("prod-eu-west-1: [prod-no-debug-logging] checkout logs at DEBUG");
      expect(error.message).to.include("prod-us-west-2: [prod-min-final-bake] final bake 5 < 30 minutes");
      const prodUps = world.engine.updatesOf("up").filter((s) => s.startsWith("prod"));
      expect(prodUps).to.deep.equal(["prod-us-east-1"]);
      expect(world.engine.releaseOf("prod-us-east-1")).to.equal(world.stacks("prod")[0]?.releaseId);
      expect(world.reporter.of("rollback-started")).to.be.empty;
    });

    it("an advisory violation only warns", async () => {
      world.engine.violate({ stack: "gamma-eu-west-1", policy: "flag-expiry", level: "advisory", message: "holiday-banner-2026 expires soon" });

      const summary = await release(envs, releaseOptions({ to: "gamma" }), world.ports());

      expect(summary.violations.map((v) => v.policy)).to.deep.equal(["flag-expiry"]);
      expect(world.reporter.of("policy-violation")).to.have.length(1);
      expect(world.engine.releaseOf("gamma-eu-west-1")).to.equal(world.stacks("gamma")[1]?.releaseId);
    });

    it("a dry run previews every wave of every stage, reports every violation, and deploys nothing", async () => {
      world.engine.violate({ stack: "prod-ap-northeast-1", policy: "iam-no-wildcards", level: "mandatory", message: "Action: *" });

      const error = await failureOf(release(envs, releaseOptions({ dryRun: true, approve: false }), world.ports()));

      expect(error.exitCode).to.equal(ExitCode.policyViolation);
      expect(error.message).to.equal("1 mandatory policy violation in the dry run; nothing in it was deployed:\n  prod-ap-northeast-1: [iam-no-wildcards] Action: *");
      expect(world.engine.updatesOf("preview")).to.have.length(world.stacks().length);
      expect(world.engine.updatesOf("up")).to.be.empty;
      expect(world.reporter.of("release-started")[0]?.dryRun).to.equal(true);
    });
  });

  describe("re-running", () => {
    it("a finished release does nothing: no preview, no update, no bake, no approval", async () => {
      await release(envs, releaseOptions(), world.ports());
      const callsBefore = world.engine.calls.filter((c) => c.op === "preview" || c.op === "up").length;
      const watchesBefore = world.health.watches.length;
      const approver = new ScriptedApprover([]);

      const summary = await release(envs, releaseOptions({ approve: false }), world.ports(approver));

      expect(world.engine.calls.filter((c) => c.op === "preview" || c.op === "up")).to.have.length(callsBefore);
      expect(world.health.watches).to.have.length(watchesBefore);
      expect(approver.asked).to.be.empty;
      expect(summary.stacks.map((s) => `${s.stack} ${s.result}`)).to.deep.equal(world.stacks().map((s) => `${s.name} skipped`));
    });

    it("says of each stage that it is done already, and starts none of its waves", async () => {
      await release(envs, releaseOptions({ to: "gamma" }), world.ports());
      const eventsBefore = world.reporter.events.length;

      await release(envs, releaseOptions({ to: "gamma" }), world.ports());

      const rerun = world.reporter.events.slice(eventsBefore);
      const reason = "this release has baked healthy on every stack";
      expect(rerun.filter((e) => e.type === "stage-skipped")).to.deep.equal([
        { type: "stage-skipped", stage: "beta", reason },
        { type: "stage-skipped", stage: "gamma", reason },
      ]);
      expect(rerun.map((e) => e.type)).to.not.include("stage-started").and.not.include("wave-started");
    });

    it("bakes again, alone, the stack of a wave whose bake could not be recorded, and skips the stack whose bake was", async () => {
      world.engine.failUp("gamma-eu-west-1", "the backend is unreachable", { when: (config) => config.metadata?.bakedAt !== undefined });
      await failureOf(release(envs, releaseOptions({ to: "gamma" }), world.ports()));

      const summary = await release(envs, releaseOptions({ to: "gamma" }), world.ports());

      expect(world.health.watches.at(-1)?.stacks).to.deep.equal(["gamma-eu-west-1"]);
      expect(summary.stacks.filter((s) => s.stage === "gamma").map((s) => `${s.stack} ${s.result}`)).to.deep.equal(["gamma-us-east-1 skipped", "gamma-eu-west-1 baked"]);
      for (const stack of world.stacks("gamma")) expect(world.engine.bakedReleaseOf(stack.name), stack.name).to.equal(stack.releaseId);
    });

    it("updates only the stacks that do not hold the release yet", async () => {
      await release(envs, releaseOptions({ to: "beta" }), world.ports());
      await release(envs, releaseOptions({ to: "gamma" }), world.ports());
      expect(world.engine.updatesOf("up")).to.deep.equal(["beta-us-west-2", "gamma-us-east-1", "gamma-eu-west-1"]);
    });
  });

  describe("--parallel", () => {
    it("never runs more updates of a wave at once than allowed", async () => {
      let running = 0;
      let most = 0;
      world = new World(envs, { up: 5 });
      world.seedPreviousRelease();
      world.engine.onUpStarted = (_stack, config) => {
        if (config.metadata?.bakedAt === undefined) most = Math.max(most, ++running);
      };
      world.reporter.emit = (event) => {
        if (event.type === "stack-updated") running--;
      };
      await release(envs, releaseOptions({ stage: "prod", parallel: 2 }), world.ports());
      expect(most).to.equal(2);
    });
  });
});
