import { expect } from "chai";
import type { Envs } from "../../cli/config/model";
import { DeploymentError, ExitCode, UsageError } from "../../cli/errors";
import { release } from "../../cli/pipeline/release";
import { rollback, type RollbackOptions } from "../../cli/pipeline/rollback";
import type { StackConfig } from "../../infra/stack-config";
import { releaseIdOf } from "../../cli/config/release-id";
import { Interrupts } from "../../cli/pipeline/interrupts";
import { stackRefOf } from "../../cli/pipeline/plan";
import { contentHashesOf } from "./fakes/engine";
import { earlierConfigOf, failureOf, releaseOptions, sampleEnvs, World } from "./fakes/world";

function rollbackOptions(overrides: Partial<RollbackOptions> = {}): RollbackOptions {
  return {
    stage: "prod",
    policyConfig: (stage) => ({ stage }),
    context: { releasedBy: "oncall@example.com", gitCommit: "c0ffee1" },
    ...overrides,
  };
}

function withoutMetadata(config: StackConfig | undefined): Omit<StackConfig, "metadata"> | undefined {
  if (config === undefined) return undefined;
  const { metadata: _metadata, ...content } = config;
  return content;
}

describe("rollback <stage>", () => {
  let envs: Envs;
  let world: World;
  let previous: Map<string, StackConfig>;

  before(async () => {
    envs = await sampleEnvs();
  });

  beforeEach(async () => {
    world = new World(envs);
    previous = world.seedPreviousRelease();
    await release(envs, releaseOptions(), world.ports());
  });

  it("`rollback prod` restores each prod stack's previous StackConfig exactly", async () => {
    await rollback(envs, rollbackOptions(), world.ports());

    for (const stack of world.stacks("prod")) {
      const restored = world.engine.configOf(stack.name);
      expect(withoutMetadata(restored), stack.name).to.deep.equal(withoutMetadata(previous.get(stack.name)));
      expect(restored?.metadata?.releaseId).to.equal(previous.get(stack.name)?.metadata?.releaseId);
      expect(restored?.metadata?.reason).to.equal(`rollback from ${stack.releaseId} to ${previous.get(stack.name)?.metadata?.releaseId}`);
    }
    expect(world.engine.releaseOf("gamma-us-east-1")).to.equal(world.stacks("gamma")[0]?.releaseId);
    expect(world.reporter.of("rollback-started")).to.deep.equal([
      { type: "rollback-started", stacks: world.stacks("prod").map((s) => s.name), reason: "to the previous release" },
    ]);
  });

  it("still refuses to restore IAM or secrets a security policy rejects, though configuration rules only advise", async () => {
    const strict = {
      "no-debug-logging-in-production": { enforcementLevel: "mandatory" },
      "iam-no-wildcards": { enforcementLevel: "mandatory" },
    };
    const held = world.engine.releaseOf("prod-us-east-1");
    world.engine.violate({ stack: "prod-us-east-1", policy: "no-debug-logging-in-production", level: "mandatory", message: "logLevel is DEBUG" });
    world.engine.violate({ stack: "prod-us-east-1", policy: "iam-no-wildcards", level: "mandatory", message: "iam:* on *" });

    const error = await failureOf(rollback(envs, rollbackOptions({ policyConfig: () => strict }), world.ports()));

    expect(error.exitCode).to.equal(ExitCode.rollbackFailed);
    expect(error.message).to.include("prod-us-east-1: ROLLBACK FAILED").and.include("iam-no-wildcards");
    expect(error.message).to.not.include("no-debug-logging-in-production");
    expect(world.engine.releaseOf("prod-us-east-1")).to.equal(held);
    expect(withoutMetadata(world.engine.configOf("prod-us-west-2"))).to.deep.equal(withoutMetadata(previous.get("prod-us-west-2")));
  });

  it("is not blocked by a configuration rule tightened since the release it restores: it only advises", async () => {
    const strict = { "no-debug-logging-in-production": { enforcementLevel: "mandatory" } };
    world.engine.violate({ stack: "prod-us-east-1", policy: "no-debug-logging-in-production", level: "mandatory", message: "logLevel is DEBUG" });
    await rollback(envs, rollbackOptions({ policyConfig: () => strict }), world.ports());
    expect(withoutMetadata(world.engine.configOf("prod-us-east-1"))).to.deep.equal(withoutMetadata(previous.get("prod-us-east-1")));
  });

  it("rolls every stack of the stage back at once", async () => {
    world.engine.holdUpdates();
    const done = rollback(envs, rollbackOptions(), world.ports());
    const upsBefore = world.engine.updatesOf("up").length;
    while (world.engine.updatesOf("up").length < upsBefore + 6) await new Promise((resolve) => setImmediate(resolve));
    world.engine.resume();
    const outcomes = await done;
    expect(outcomes.map((o) => o.state)).to.deep.equal(Array(6).fill("rolled-back"));
  });

  it("runs the program of the release's git revision, unless --current-program", async () => {
    await rollback(envs, rollbackOptions({ region: "us-east-1" }), world.ports());
    expect(world.engine.calls.at(-1)).to.include({ op: "up", stack: "prod-us-east-1", programRevision: "0ld0ld0" });
    expect(world.reporter.of("program-revision")).to.deep.equal([{ type: "program-revision", stack: "prod-us-east-1", gitCommit: "0ld0ld0", usingCurrentProgram: false }]);
    expect(world.engine.calls.filter((c) => c.op === "prepareProgram").map((c) => c.programRevision)).to.deep.equal(["0ld0ld0"]);

    await rollback(envs, rollbackOptions({ region: "eu-west-1", currentProgram: true }), world.ports());
    expect(world.engine.calls.at(-1)).to.include({ op: "up", stack: "prod-eu-west-1" });
    expect(world.engine.calls.at(-1)?.programRevision).to.equal(undefined);
  });

  it("refuses a recorded program revision the engine will not run (not on the main branch) before any stack changes, naming it", async () => {
    world.engine.refuseRevision("0ld0ld0", new UsageError("refusing to run the program of git revision 0ld0ld0, which the release to roll back to names: it is not on origin/main"));
    const updatesBefore = world.engine.updatesOf("up").length;
    const error = await failureOf(rollback(envs, rollbackOptions(), world.ports()));
    expect(error.exitCode).to.equal(ExitCode.usage);
    expect(error.message).to.contain("0ld0ld0").and.contain("Nothing was changed");
    expect(world.engine.updatesOf("up")).to.have.length(updatesBefore);
    expect(world.engine.releaseOf("prod-us-east-1")).to.equal(world.stacks("prod")[0]?.releaseId);
  });

  it("refuses, changing nothing (exit 1), when the recorded revision is not in this clone or its program does not build", async () => {
    world.engine.refuseRevision("0ld0ld0", new DeploymentError("the release to roll back to was made from git revision 0ld0ld0, which this clone does not have: fetch it, or pass --current-program"));
    const error = await failureOf(rollback(envs, rollbackOptions(), world.ports()));
    expect(error.exitCode).to.equal(ExitCode.usage);
    expect(error.message).to.contain("fetch it").and.contain("Nothing was changed");
    expect(world.engine.releaseOf("prod-us-east-1")).to.equal(world.stacks("prod")[0]?.releaseId);
  });

  it("with --current-program runs today's program and asks nothing of the recorded revision", async () => {
    world.engine.refuseRevision("0ld0ld0", new UsageError("refusing to run the program of git revision 0ld0ld0"));
    await rollback(envs, rollbackOptions({ currentProgram: true }), world.ports());
    expect(world.engine.calls.filter((c) => c.op === "prepareProgram")).to.deep.equal([]);
    expect(world.engine.releaseOf("prod-us-east-1")).to.equal(previous.get("prod-us-east-1")?.metadata?.releaseId);
  });

  it("deploys the recorded release with the account, role and endpoint envs/ names today, not those the state backend recorded", async () => {
    const tampered = new World(envs);
    for (const stack of tampered.stacks("prod")) {
      const config = earlierConfigOf(stack);
      config.role = "arn:aws:iam::999999999999:role/attacker";
      config.account = "999999999999";
      config.endpoint = "https://collector.example.net";
      config.production = false;
      tampered.engine.seed(stackRefOf(stack), config);
    }
    await release(envs, releaseOptions(), tampered.ports());
    await rollback(envs, rollbackOptions({ region: "us-east-1" }), tampered.ports());
    const today = tampered.stacks("prod")[0]!.config;
    const applied = tampered.engine.configOf("prod-us-east-1");
    expect(applied?.metadata?.releaseId).to.equal(earlierConfigOf(tampered.stacks("prod")[0]!).metadata?.releaseId);
    expect({ account: applied?.account, role: applied?.role, endpoint: applied?.endpoint, production: applied?.production }).to.deep.equal({
      account: today.account,
      role: today.role,
      endpoint: today.endpoint,
      production: true,
    });
  });

  it("--region narrows the rollback to one stack", async () => {
    await rollback(envs, rollbackOptions({ region: "eu-west-1" }), world.ports());
    expect(world.engine.releaseOf("prod-eu-west-1")).to.equal(previous.get("prod-eu-west-1")?.metadata?.releaseId);
    expect(world.engine.releaseOf("prod-us-west-2")).to.equal(world.stacks("prod")[1]?.releaseId);
  });

  it("--to returns every stack to the same release run, named by one stack's release id", async () => {
    await rollback(envs, rollbackOptions(), world.ports());
    const canary = world.stacks("prod")[0];

    await rollback(envs, rollbackOptions({ to: canary?.releaseId }), world.ports());

    for (const stack of world.stacks("prod")) expect(world.engine.releaseOf(stack.name), stack.name).to.equal(stack.releaseId);
    expect(world.reporter.of("rollback-started").at(-1)?.reason).to.equal(`to ${canary?.releaseId}`);
  });

  it("refuses --to a release no stack of the stage ever ran", async () => {
    const error = await failureOf(rollback(envs, rollbackOptions({ to: "0123456789ab" }), world.ports()));
    expect(error.exitCode).to.equal(ExitCode.usage);
    expect(error.message).to.include("no stack of prod ever ran release 0123456789ab");
  });

  it("refuses, changing nothing, when a stack has no earlier release", async () => {
    world = new World(envs);
    await release(envs, releaseOptions({ to: "beta" }), world.ports());
    const upsBefore = world.engine.updatesOf("up").length;

    const error = await failureOf(rollback(envs, rollbackOptions({ stage: "beta" }), world.ports()));

    expect(error.exitCode).to.equal(ExitCode.usage);
    expect(error.message.split("\n")).to.deep.equal([
      "refusing to roll back beta: a stack has no earlier release to return to. Nothing was changed.",
      `  beta-us-west-2: has no earlier release to return to, holds ${world.stacks("beta")[0]?.releaseId}`,
      "Roll back the other regions with --region, or fix forward with `dcp release`.",
    ]);
    expect(world.engine.updatesOf("up")).to.have.length(upsBefore);
  });

  it("refuses, naming each stack, when the stacks of a stage were never released", async () => {
    world = new World(envs);
    await release(envs, releaseOptions({ to: "beta" }), world.ports());

    const error = await failureOf(rollback(envs, rollbackOptions({ stage: "gamma" }), world.ports()));

    expect(error.message.split("\n").slice(0, 3)).to.deep.equal([
      "refusing to roll back gamma: stacks have no earlier release to return to. Nothing was changed.",
      "  gamma-us-east-1: has no earlier release to return to, holds no release",
      "  gamma-eu-west-1: has no earlier release to return to, holds no release",
    ]);
  });

  it("refuses --to a release run that some stacks of the stage never ran, naming them, and changes nothing", async () => {
    world = new World(envs);
    const [canary] = world.stacks("prod");
    const earlier = earlierConfigOf(canary!);
    world.engine.seed(stackRefOf(canary!), earlier);
    await release(envs, releaseOptions(), world.ports());
    const upsBefore = world.engine.updatesOf("up").length;

    const error = await failureOf(rollback(envs, rollbackOptions({ to: earlier.metadata?.releaseId }), world.ports()));

    expect(error.exitCode).to.equal(ExitCode.usage);
    const others = world.stacks("prod").slice(1);
    expect(error.message.split("\n")).to.deep.equal([
      `refusing to roll back prod: stacks have no release ${earlier.metadata?.releaseId} to return to. Nothing was changed.`,
      ...others.map((s) => `  ${s.name}: has no earlier release to return to, holds ${s.releaseId}`),
      "Roll back the other regions with --region, or fix forward with `dcp release`.",
    ]);
    expect(world.engine.updatesOf("up")).to.have.length(upsBefore);
  });

  it("refuses a region the stage does not deploy to", async () => {
    const error = await failureOf(rollback(envs, rollbackOptions({ stage: "beta", region: "eu-west-1" }), world.ports()));
    expect(error.exitCode).to.equal(ExitCode.usage);
    expect(error.message).to.equal("stage beta does not deploy to region eu-west-1");
  });

  it("prepares no program when the release to return to was made from this checkout's revision", async () => {
    await rollback(envs, rollbackOptions({ region: "us-east-1", context: { releasedBy: "oncall@example.com", gitCommit: "0ld0ld0" } }), world.ports());
    expect(world.engine.calls.filter((c) => c.op === "prepareProgram")).to.deep.equal([]);
    expect(world.engine.calls.at(-1)?.programRevision).to.equal(undefined);
    expect(world.engine.releaseOf("prod-us-east-1")).to.equal(previous.get("prod-us-east-1")?.metadata?.releaseId);
  });

  it("passes on an unexpected failure to prepare a recorded program as it is", async () => {
    const crash = new Error("git: fatal: unable to read tree");
    world.engine.refuseRevision("0ld0ld0", crash);
    const failure = await rollback(envs, rollbackOptions(), world.ports()).catch((error: unknown) => error);
    expect(failure).to.equal(crash);
  });

  it("a stack that fails to roll back exits 5, naming each stack's state and the command to run next", async () => {
    world.engine.failUp("prod-ap-northeast-1", "Rate exceeded");

    const error = await failureOf(rollback(envs, rollbackOptions(), world.ports()));

    expect(error.exitCode).to.equal(ExitCode.rollbackFailed);
    expect(error.message.split("\n")[0]).to.equal("rollback of prod failed: a human is needed.");
    const failed = world.stacks("prod").find((s) => s.name === "prod-ap-northeast-1");
    expect(error.message).to.include(`prod-ap-northeast-1: ROLLBACK FAILED, still holds ${failed?.releaseId}`);
    expect(error.message).to.include(`dcp rollback prod --region ap-northeast-1 --to ${previous.get("prod-ap-northeast-1")?.metadata?.releaseId}`);
    expect(error.message).to.include(`prod-us-east-1: rolled back to ${previous.get("prod-us-east-1")?.metadata?.releaseId}`);
  });

  it("without AWS credentials is a setup problem (exit 1) that changed nothing, not a failed rollback", async () => {
    const held = world.stacks("prod").map((s) => [s.name, world.engine.releaseOf(s.name)]);
    for (const s of world.stacks("prod")) world.engine.failUp(s.name, "no AWS credentials: set AWS_PROFILE", { setup: "aws-credentials" });

    const error = await failureOf(rollback(envs, rollbackOptions(), world.ports()));

    expect(error.exitCode).to.equal(ExitCode.usage);
    expect(error.message).to.equal("no AWS credentials: set AWS_PROFILE");
    expect(world.stacks("prod").map((s) => [s.name, world.engine.releaseOf(s.name)])).to.deep.equal(held);
  });

  it("refuses an unknown stage", async () => {
    const error = await failureOf(rollback(envs, rollbackOptions({ stage: "staging" }), world.ports()));
    expect(error.exitCode).to.equal(ExitCode.usage);
    expect(error.message).to.include("the stages are beta, gamma, prod");
  });

  describe("after a release that failed or was cancelled part-way", () => {
    /** prod-us-east-1 ran `older`, then `earlier` (the last good release); the sample's release is the new one. */
    beforeEach(() => {
      world = new World(envs);
      const canary = world.stacks("prod")[0];
      if (canary === undefined) throw new Error("prod has a canary");
      const older = earlierConfigOf(canary);
      const checkout = older.components["checkout"];
      if (checkout === undefined) throw new Error("the sample has a checkout component");
      checkout.config = { ...checkout.config, cartTtlMinutes: 5 };
      older.metadata = { releaseId: releaseIdOf(older), releasedAt: "2026-01-01T10:00:00.000Z", gitCommit: "0ld0ld0" };
      world.engine.seed(stackRefOf(canary), older);
      previous = world.seedPreviousRelease("prod");
    });

    const canaryRelease = { stage: "prod", region: "us-east-1" };

    it("`rollback` after a cancelled update returns the stack to the last release it ran, not the one before", async () => {
      const interrupts = new Interrupts();
      world.engine.holdUpdates();
      world.engine.onUpStarted = () => {
        interrupts.interrupt();
        setImmediate(() => interrupts.interrupt());
      };
      await failureOf(release(envs, releaseOptions({ ...canaryRelease, interrupts }), world.ports()));
      world.engine.onUpStarted = undefined;
      world.engine.resume();

      const [outcome] = await rollback(envs, rollbackOptions({ region: "us-east-1" }), world.ports());

      const canary = world.stacks("prod")[0];
      expect(outcome).to.include({ state: "rolled-back", releaseId: previous.get("prod-us-east-1")?.metadata?.releaseId, from: canary?.releaseId });
      expect(world.engine.releaseOf("prod-us-east-1")).to.equal(previous.get("prod-us-east-1")?.metadata?.releaseId);
    });

    it("a failed update that had started deploying is rolled back with those profiles deployed again: AppConfig serves the last good release", async () => {
      const last = previous.get("prod-us-east-1");
      world.engine.failUp("prod-us-east-1", "MetricAlarm checkout-5xx: ValidationError", { afterDeploying: true });

      const error = await failureOf(release(envs, releaseOptions(canaryRelease), world.ports()));

      expect(error.exitCode).to.equal(ExitCode.deploymentFailed);
      expect(world.engine.servedOf("prod-us-east-1")).to.deep.equal(last && contentHashesOf(last));
    });

    it("`rollback` after a failed release that was rolled back automatically returns to the release before the last good one", async () => {
      world.engine.failUp("prod-us-east-1", "MetricAlarm checkout-5xx: ValidationError");
      const failed = await failureOf(release(envs, releaseOptions(canaryRelease), world.ports()));
      expect(failed.exitCode).to.equal(ExitCode.deploymentFailed);
      const last = previous.get("prod-us-east-1")?.metadata?.releaseId;
      expect(world.engine.releaseOf("prod-us-east-1")).to.equal(last);

      const [outcome] = await rollback(envs, rollbackOptions({ region: "us-east-1" }), world.ports());

      const older = (await world.engine.history(stackRefOf(world.stacks("prod")[0]!))).at(-1)?.config?.metadata?.releaseId;
      expect(outcome).to.include({ state: "rolled-back", releaseId: older, from: last });
    });

    it("`rollback` after a failed release whose own rollback failed returns to the last good release and deploys what the failed update had", async () => {
      const last = previous.get("prod-us-east-1");
      world.engine.failUp("prod-us-east-1", "MetricAlarm checkout-5xx: ValidationError", { afterDeploying: true });
      world.engine.failUp("prod-us-east-1", "Rate exceeded", { when: (c) => c.metadata?.reason?.startsWith("rollback") ?? false });
      const failed = await failureOf(release(envs, releaseOptions(canaryRelease), world.ports()));
      expect(failed.exitCode).to.equal(ExitCode.rollbackFailed);

      await rollback(envs, rollbackOptions({ region: "us-east-1" }), world.ports());

      expect(world.engine.releaseOf("prod-us-east-1")).to.equal(last?.metadata?.releaseId);
      expect(world.engine.servedOf("prod-us-east-1")).to.deep.equal(last && contentHashesOf(last));
    });
  });

  describe("--to and repeated rollbacks", () => {
    it("--to a release one region was already rolled back to returns the other stacks to it and leaves that one as it is", async () => {
      await rollback(envs, rollbackOptions({ region: "eu-west-1" }), world.ports());
      const upsBefore = world.engine.updatesOf("up").length;

      const outcomes = await rollback(envs, rollbackOptions({ to: previous.get("prod-eu-west-1")?.metadata?.releaseId }), world.ports());

      for (const stack of world.stacks("prod")) expect(world.engine.releaseOf(stack.name), stack.name).to.equal(previous.get(stack.name)?.metadata?.releaseId);
      expect(outcomes.find((o) => o.stack.name === "prod-eu-west-1")?.state).to.equal("unchanged");
      expect(world.engine.updatesOf("up").slice(upsBefore)).to.have.length(5);
    });

    it("`rollback prod` right after `rollback prod --region R` refuses, names the releases, and says how to finish; nothing changes", async () => {
      await rollback(envs, rollbackOptions({ region: "eu-west-1" }), world.ports());
      const upsBefore = world.engine.updatesOf("up").length;
      const bad = world.stacks("prod").find((s) => s.name === "prod-eu-west-1")?.releaseId;
      const good = previous.get("prod-eu-west-1")?.metadata?.releaseId;

      const error = await failureOf(rollback(envs, rollbackOptions(), world.ports()));

      expect(error.exitCode).to.equal(ExitCode.usage);
      expect(error.message).to.include(
        'refusing to roll back prod: a stack was rolled back already, and "the previous release" would return it to the release it was rolled back from. Nothing was changed.',
      );
      expect(error.message).to.include(`prod-eu-west-1: rolled back from ${bad} to ${good}`);
      expect(error.message).to.include(`dcp rollback prod --to ${good}`);
      expect(error.message).to.include(`dcp rollback prod --region eu-west-1 --to ${bad}`);
      expect(world.engine.updatesOf("up")).to.have.length(upsBefore);
    });

    it("a second `rollback prod` does not undo the first: it refuses and says how to name a release", async () => {
      await rollback(envs, rollbackOptions(), world.ports());

      const error = await failureOf(rollback(envs, rollbackOptions(), world.ports()));

      expect(error.exitCode).to.equal(ExitCode.usage);
      expect(error.message).to.include(
        'refusing to roll back prod: stacks were rolled back already, and "the previous release" would return them to the release they were rolled back from. Nothing was changed.',
      );
      expect(error.message).to.include("dcp rollback prod --to <release-id>");
      for (const stack of world.stacks("prod")) expect(world.engine.releaseOf(stack.name)).to.equal(previous.get(stack.name)?.metadata?.releaseId);
    });
  });

  describe("repeated rollbacks of a one-stack stage", () => {
    it("a second `rollback beta` names the stack, the releases and when it was rolled back, and says how to go further or undo it", async () => {
      world = new World(envs);
      const earlier = world.seedPreviousRelease("beta").get("beta-us-west-2")?.metadata?.releaseId;
      await release(envs, releaseOptions({ to: "beta" }), world.ports());
      const bad = world.stacks("beta")[0]?.releaseId;
      world.engine.holdUpdates();
      const first = rollback(envs, rollbackOptions({ stage: "beta" }), world.ports());
      while (world.engine.updatesOf("up").filter((s) => s === "beta-us-west-2").length < 2) await new Promise((resolve) => setImmediate(resolve));
      await world.clock.sleep(90_000);
      world.engine.resume();
      await first;
      const finishedAt = new Date(world.clock.now()).toISOString().replace(".000Z", "Z");

      const error = await failureOf(rollback(envs, rollbackOptions({ stage: "beta" }), world.ports()));

      expect(error.exitCode).to.equal(ExitCode.usage);
      expect(error.message.split("\n")).to.deep.equal([
        'refusing to roll back beta: a stack was rolled back already, and "the previous release" would return it to the release it was rolled back from. Nothing was changed.',
        `  beta-us-west-2: rolled back from ${bad} to ${earlier} at ${finishedAt}`,
        "To go further back, name the release: `dcp history beta` lists them, `dcp rollback beta --to <release-id>` returns to one.",
        `To undo the rollback of beta-us-west-2 deliberately: \`dcp rollback beta --region us-west-2 --to ${bad}\``,
      ]);
    });
  });

  describe("what the ledger records about a rollback", () => {
    it("the program revision it ran, not the checkout's HEAD", async () => {
      await rollback(envs, rollbackOptions({ region: "us-east-1", context: { releasedBy: "oncall@example.com", gitCommit: "c0ffee1", gitDirty: true } }), world.ports());
      expect(world.engine.configOf("prod-us-east-1")?.metadata).to.include({ gitCommit: "0ld0ld0", gitDirty: false, releasedBy: "oncall@example.com" });

      await rollback(envs, rollbackOptions({ region: "eu-west-1", currentProgram: true }), world.ports());
      expect(world.engine.configOf("prod-eu-west-1")?.metadata).to.include({ gitCommit: "c0ffee1" });
    });

    it("the restored release's own time, so that its flags render as they did", async () => {
      await rollback(envs, rollbackOptions({ region: "us-east-1" }), world.ports());
      expect(world.engine.configOf("prod-us-east-1")?.metadata?.releasedAt).to.equal(previous.get("prod-us-east-1")?.metadata?.releasedAt);
    });
  });
});
