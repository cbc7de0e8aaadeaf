import { expect } from "chai";
import type { Envs } from "../../cli/config/model";
import { ExitCode, UsageError } from "../../cli/errors";
import type { HealthMonitor } from "../../cli/pipeline/ports";
import { release } from "../../cli/pipeline/release";
import type { StackConfig } from "../../infra/stack-config";
import { watchStacks } from "../../cli/health/watch";
import { ScriptedProbe } from "./fakes/probe";
import { failureOf, releaseOptions, sampleEnvs, withRollbackScope, World } from "./fakes/world";

const PROD_WAVE_3 = ["prod-eu-central-1", "prod-ap-southeast-2", "prod-ap-northeast-1"];

describe("release failures", () => {
  let envs: Envs;
  let world: World;
  let previous: Map<string, StackConfig>;

  before(async () => {
    envs = await sampleEnvs();
  });

  beforeEach(() => {
    world = new World(envs);
    previous = world.seedPreviousRelease();
  });

  const previousRelease = (stack: string) => previous.get(stack)?.metadata?.releaseId;
  const newRelease = (stack: string) => world.stacks().find((s) => s.name === stack)?.releaseId;

  it("an alarm during the prod canary's bake rolls back the canary and starts no further wave", async () => {
    world.health.fireAlarm("prod-us-east-1", "checkout-5xx", { afterMs: 10 * 60_000 });

    const error = await failureOf(release(envs, releaseOptions(), world.ports()));

    expect(error.exitCode).to.equal(ExitCode.bakeFailed);
    expect(error.message).to.include("prod-us-east-1: alarm checkout-5xx");
    expect(error.message).to.include(`prod-us-east-1: rolled back to ${previousRelease("prod-us-east-1")}`);
    expect(world.engine.releaseOf("prod-us-east-1")).to.equal(previousRelease("prod-us-east-1"));
    const prodPreviews = world.engine.updatesOf("preview").filter((s) => s.startsWith("prod"));
    expect(prodPreviews).to.deep.equal(["prod-us-east-1"]);
    expect(world.engine.releaseOf("gamma-us-east-1")).to.equal(newRelease("gamma-us-east-1"));
    expect(error.message.split("\n").at(-1)).to.equal("Earlier stages keep the release: beta, gamma");
  });

  it("an alarm in the first stage says what failed and what was rolled back, and nothing of earlier stages", async () => {
    world.health.fireAlarm("beta-us-west-2", "checkout-5xx");

    const error = await failureOf(release(envs, releaseOptions({ to: "beta" }), world.ports()));

    expect(error.exitCode).to.equal(ExitCode.bakeFailed);
    expect(error.message).to.equal(
      [
        "bake of beta wave beta failed:",
        "  beta-us-west-2: alarm checkout-5xx: in ALARM",
        "Rolled back (rollbackScope: stage, wave beta):",
        `  beta-us-west-2: rolled back to ${previousRelease("beta-us-west-2")} (from ${newRelease("beta-us-west-2")})`,
      ].join("\n"),
    );
    expect(world.reporter.of("rollback-started")).to.deep.equal([{ type: "rollback-started", stacks: ["beta-us-west-2"], reason: "bake of beta wave beta failed:" }]);
  });

  it("an update refused before it changed anything leaves nothing to roll back, and says so", async () => {
    world.engine.lock("beta-us-west-2", { atUp: true });

    const error = await failureOf(release(envs, releaseOptions({ to: "beta" }), world.ports()));

    expect(error.exitCode).to.equal(ExitCode.deploymentFailed);
    expect(error.message).to.equal(
      [
        "release of beta wave beta failed:",
        "  beta-us-west-2: stack beta-us-west-2 is locked by another update; wait for it to finish, or if it died, run `pulumi cancel --stack beta-us-west-2`",
        "Rolled back (rollbackScope: stage, wave beta):",
        "  nothing had changed",
      ].join("\n"),
    );
    expect(world.reporter.of("stack-failed")).to.deep.equal([{ type: "stack-failed", stack: "beta-us-west-2", message: "stack beta-us-west-2 is locked by another update; wait for it to finish, or if it died, run `pulumi cancel --stack beta-us-west-2`" }]);
  });

  it("without a rollbackScope in pipeline.yaml, rolls back every stack of the stage the release changed", async () => {
    const { rollbackScope: _scope, ...pipeline } = envs.pipeline;
    world.health.fireAlarm("prod-ap-southeast-2", "payments-errors");

    const error = await failureOf(release({ ...envs, pipeline }, releaseOptions(), world.ports()));

    expect(error.message).to.include("Rolled back (rollbackScope: stage, wave rest-of-world):");
    for (const stack of world.stacks("prod")) expect(world.engine.releaseOf(stack.name), stack.name).to.equal(previousRelease(stack.name));
  });

  it("the automatic rollback does not run a recorded program the engine refuses (not on main): that stack's rollback fails (exit 5), naming the revision", async () => {
    world.engine.refuseRevision("0ld0ld0", new UsageError("refusing to run the program of git revision 0ld0ld0, which the release to roll back to names: it is not on origin/main"));
    world.health.fireAlarm("prod-us-east-1", "checkout-5xx", { afterMs: 10 * 60_000 });

    const error = await failureOf(release(envs, releaseOptions(), world.ports()));

    expect(error.exitCode).to.equal(ExitCode.rollbackFailed);
    expect(error.message).to.include("prod-us-east-1: ROLLBACK FAILED").and.include("0ld0ld0").and.include("not on origin/main");
    expect(world.engine.releaseOf("prod-us-east-1")).to.equal(newRelease("prod-us-east-1"));
  });

  it("an alarm in prod's wave 3 rolls back every prod stack this release changed (rollbackScope: stage)", async () => {
    world.health.fireAlarm("prod-ap-southeast-2", "payments-errors");

    const error = await failureOf(release(envs, releaseOptions(), world.ports()));

    expect(error.exitCode).to.equal(ExitCode.bakeFailed);
    for (const stack of world.stacks("prod")) expect(world.engine.releaseOf(stack.name), stack.name).to.equal(previousRelease(stack.name));
    expect(world.reporter.of("rollback-started")[0]?.stacks).to.have.members(world.stacks("prod").map((s) => s.name));
    expect(world.engine.releaseOf("gamma-eu-west-1")).to.equal(newRelease("gamma-eu-west-1"));
  });

  it("an alarm in prod's wave 3 rolls back only wave 3 with rollbackScope: wave", async () => {
    const waveScoped = withRollbackScope(envs, "wave");
    world.health.fireAlarm("prod-ap-southeast-2", "payments-errors");

    const error = await failureOf(release(waveScoped, releaseOptions(), world.ports()));

    expect(error.exitCode).to.equal(ExitCode.bakeFailed);
    for (const stack of world.stacks("prod")) {
      const expected = PROD_WAVE_3.includes(stack.name) ? previousRelease(stack.name) : stack.releaseId;
      expect(world.engine.releaseOf(stack.name), stack.name).to.equal(expected);
    }
    expect(error.message).to.include("\nKept by rollbackScope: wave (earlier waves of prod baked cleanly): prod-us-east-1, prod-us-west-2, prod-eu-west-1\n");
    const rolledBack = error.message.split("\n").filter((line) => line.includes(": rolled back to "));
    expect(rolledBack).to.deep.equal(PROD_WAVE_3.map((stack) => `  ${stack}: rolled back to ${previousRelease(stack)} (from ${newRelease(stack)})`));
  });

  it("a failing update in one region of a wave rolls back what the release changed in the stage and starts no further wave", async () => {
    world.engine.failUp("prod-eu-west-1", "AppConfig: the hosted configuration version exceeds 2 MB");

    const error = await failureOf(release(envs, releaseOptions(), world.ports()));

    expect(error.exitCode).to.equal(ExitCode.deploymentFailed);
    expect(error.message).to.include("prod-eu-west-1: AppConfig: the hosted configuration version exceeds 2 MB");
    for (const stack of ["prod-us-east-1", "prod-us-west-2", "prod-eu-west-1"]) {
      expect(world.engine.releaseOf(stack), stack).to.equal(previousRelease(stack));
      expect(error.message).to.include(`${stack}: rolled back to ${previousRelease(stack)}`);
    }
    expect(world.engine.updatesOf("preview").filter((s) => PROD_WAVE_3.includes(s))).to.be.empty;
  });

  it("a rollback that itself fails exits 5 and says which stack is in which state and what to run next", async () => {
    world.health.fireAlarm("prod-us-west-2", "checkout-latency-p99");
    world.engine.failUp("prod-us-west-2", "Rate exceeded (Service: AppConfig)", { when: (c) => c.metadata?.reason?.startsWith("rollback") ?? false });

    const error = await failureOf(release(envs, releaseOptions(), world.ports()));

    expect(error.exitCode).to.equal(ExitCode.rollbackFailed);
    expect(error.message).to.include("prod-us-west-2: alarm checkout-latency-p99");
    expect(error.message).to.include(`prod-us-west-2: ROLLBACK FAILED, still holds ${newRelease("prod-us-west-2")}`);
    expect(error.message).to.include(`prod-us-east-1: rolled back to ${previousRelease("prod-us-east-1")}`);
    expect(error.message).to.include(`prod-eu-west-1: rolled back to ${previousRelease("prod-eu-west-1")}`);
    expect(error.message).to.include(`dcp rollback prod --region us-west-2 --to ${previousRelease("prod-us-west-2")}`);
  });

  it("a stack with no earlier release cannot be rolled back automatically: exit 5 says so", async () => {
    world = new World(envs);
    world.health.fireAlarm("beta-us-west-2", "checkout-5xx");

    const error = await failureOf(release(envs, releaseOptions({ to: "beta" }), world.ports()));

    expect(error.exitCode).to.equal(ExitCode.rollbackFailed);
    expect(error.message).to.include("beta-us-west-2: has no earlier release to return to");
  });

  it("a locked stack gives the lock message and deploys nothing of its wave", async () => {
    world.engine.lock("gamma-eu-west-1");

    const error = await failureOf(release(envs, releaseOptions({ to: "gamma" }), world.ports()));

    expect(error.exitCode).to.equal(ExitCode.deploymentFailed);
    expect(error.message).to.include("stack gamma-eu-west-1 is locked by another update");
    expect(error.message).to.include("pulumi cancel --stack gamma-eu-west-1");
    expect(world.engine.updatesOf("up")).to.deep.equal(["beta-us-west-2"]);
  });

  it("a stack whose update hit a lock is not counted as changed and not rolled back; the stacks the release changed are", async () => {
    world.engine.lock("prod-eu-west-1", { atUp: true });

    const error = await failureOf(release(envs, releaseOptions(), world.ports()));

    expect(error.exitCode).to.equal(ExitCode.deploymentFailed);
    expect(error.message).to.include("stack prod-eu-west-1 is locked by another update");
    expect(world.reporter.of("rollback-started")[0]?.stacks).to.have.members(["prod-us-east-1", "prod-us-west-2"]);
    expect(world.engine.updatesOf("up").filter((s) => s === "prod-eu-west-1")).to.have.length(1);
    for (const stack of ["prod-us-east-1", "prod-us-west-2", "prod-eu-west-1"]) expect(world.engine.releaseOf(stack), stack).to.equal(previousRelease(stack));
    expect(error.message).to.not.include("prod-eu-west-1: rolled back");
  });

  describe("monitoring that cannot be read, as the real monitor judges it", () => {
    const GRACE_MS = 5 * 60_000;
    let probe: ScriptedProbe;
    let monitor: HealthMonitor;

    beforeEach(() => {
      probe = new ScriptedProbe(world.clock);
      const settings = { pollIntervalMs: 60_000, graceMs: GRACE_MS, deploymentMarginMs: 15 * 60_000, clock: world.clock };
      monitor = { watch: (targets, options) => watchStacks(targets, async () => probe, options, settings) };
    });

    it("beyond the grace period fails the bake and rolls back", async () => {
      probe.failReads(new Error("socket hang up"), { afterMs: 60_000 });

      const error = await failureOf(release(envs, releaseOptions({ to: "beta" }), { ...world.ports(), health: monitor }));

      expect(error.exitCode).to.equal(ExitCode.bakeFailed);
      expect(error.message).to.match(/beta-us-west-2: monitoring alarms and deployments: could not read the stack's health for \d+s \(grace 300s\): Error: socket hang up/);
      expect(world.engine.releaseOf("beta-us-west-2")).to.equal(previousRelease("beta-us-west-2"));
    });

    it("for less than the grace period does not fail the bake", async () => {
      probe.failReads(new Error("socket hang up"), { afterMs: 60_000, forMs: 2 * 60_000 });

      await release(envs, releaseOptions({ to: "beta" }), { ...world.ports(), health: monitor });

      expect(world.engine.releaseOf("beta-us-west-2")).to.equal(newRelease("beta-us-west-2"));
    });
  });

  it("a health monitor that throws fails the bake rather than passing it", async () => {
    const broken: HealthMonitor = { watch: async () => Promise.reject(new Error("AccessDenied: cloudwatch:DescribeAlarms")) };

    const error = await failureOf(release(envs, releaseOptions({ to: "beta" }), { ...world.ports(), health: broken }));

    expect(error.exitCode).to.equal(ExitCode.bakeFailed);
    expect(error.message).to.include("AccessDenied: cloudwatch:DescribeAlarms");
  });

  it("a health monitor that never answers fails the bake at its deadline", async () => {
    const silent: HealthMonitor = { watch: () => new Promise(() => undefined) };

    const error = await failureOf(release(envs, releaseOptions({ to: "beta" }), { ...world.ports(), health: silent }));

    expect(error.exitCode).to.equal(ExitCode.bakeFailed);
    expect(error.message).to.include("gave no verdict within");
  });

  it("rolls back with the program of the release's git revision", async () => {
    world.health.fireAlarm("beta-us-west-2", "checkout-5xx");

    await failureOf(release(envs, releaseOptions({ to: "beta" }), world.ports()));

    const ups = world.engine.calls.filter((c) => c.op === "up");
    expect(ups.map((c) => c.programRevision)).to.deep.equal([undefined, "0ld0ld0"]);
  });
});
