import { expect } from "chai";
import type { Envs } from "../../cli/config/model";
import { placementOf } from "../../cli/config/resolve";
import { ExitCode, SetupError } from "../../cli/errors";
import { stackRefOf } from "../../cli/pipeline/plan";
import type { ReleaseRecord, StackRef } from "../../cli/pipeline/ports";
import {
  programRevisionOf,
  readLedger,
  relaxedForRollback,
  restore,
  restoreOptions,
  rollbackError,
  targetsHolding,
  type RestoreOptions,
  type RestoreOutcome,
  type RestoreTarget,
} from "../../cli/pipeline/restore";
import { earlierConfigOf, failureOf, sampleEnvs, World } from "./fakes/world";

describe("restoring stacks to an earlier release", () => {
  let envs: Envs;
  let world: World;
  /** The release id each gamma stack ran before the one it holds. */
  let earlier: Map<string, string>;

  before(async () => {
    envs = await sampleEnvs();
  });

  /** Every gamma stack ran last week's release, then the one envs/ resolves to now. */
  beforeEach(() => {
    world = new World(envs);
    earlier = new Map();
    for (const stack of world.stacks("gamma")) {
      const config = earlierConfigOf(stack);
      world.engine.seed(stackRefOf(stack), config);
      world.engine.seed(stackRefOf(stack), stack.config);
      earlier.set(stack.name, config.metadata?.releaseId ?? "");
    }
  });

  const context = { releasedBy: "oncall@example.com", gitCommit: "c0ffee1" };
  const options = (overrides: Partial<RestoreOptions> = {}): RestoreOptions => ({
    policyConfig: () => ({}),
    placement: (stage) => placementOf(envs, stage),
    context,
    releasedAt: "2026-03-02T09:00:00.000Z",
    ...overrides,
  });

  const current = (name: string) => world.stacks("gamma").find((s) => s.name === name)?.releaseId ?? "";
  const east: StackRef = { stage: "gamma", region: "us-east-1", name: "gamma-us-east-1" };
  const west: StackRef = { stage: "gamma", region: "eu-west-1", name: "gamma-eu-west-1" };

  /** The gamma stacks that hold the release envs/ resolves to now, each aimed at the release before. */
  async function holdingCurrent(): Promise<RestoreTarget[]> {
    const ledgers = await Promise.all(world.stacks("gamma").map((s) => readLedger(stackRefOf(s), world.engine)));
    return targetsHolding(ledgers, (stack) => current(stack.name));
  }

  /** The record of the stack's last release before the current one. */
  async function earlierRecord(stack: StackRef): Promise<ReleaseRecord> {
    const history = await world.engine.history(stack);
    const record = history.find((r) => r.config?.metadata?.releaseId === earlier.get(stack.name));
    if (record === undefined) throw new Error(`${stack.name} has no earlier release`);
    return record;
  }

  it("returns each stack holding the release to the one before, saying from which release to which", async () => {
    const outcomes = await restore(await holdingCurrent(), options(), world.ports());

    expect(outcomes).to.deep.equal([
      { stack: east, state: "rolled-back", releaseId: earlier.get(east.name), from: current(east.name) },
      { stack: west, state: "rolled-back", releaseId: earlier.get(west.name), from: current(west.name) },
    ]);
    expect(world.reporter.of("stack-rolling-back")).to.deep.equal([
      { type: "stack-rolling-back", stack: east.name, releaseId: earlier.get(east.name), from: current(east.name) },
      { type: "stack-rolling-back", stack: west.name, releaseId: earlier.get(west.name), from: current(west.name) },
    ]);
    expect(world.reporter.of("rolled-back")).to.deep.equal([
      { type: "rolled-back", stack: east.name, releaseId: earlier.get(east.name), from: current(east.name) },
      { type: "rolled-back", stack: west.name, releaseId: earlier.get(west.name), from: current(west.name) },
    ]);
    expect(world.engine.configOf(east.name)?.metadata?.reason).to.equal(`rollback from ${current(east.name)} to ${earlier.get(east.name)}`);
  });

  it("leaves only the stacks that hold the release being rolled back", async () => {
    const ledgers = await Promise.all(world.stacks("gamma").map((s) => readLedger(stackRefOf(s), world.engine)));
    const targets = targetsHolding(ledgers, (stack) => (stack.name === east.name ? current(east.name) : "0123456789ab"));
    expect(targets.map((t) => [t.stack.name, t.holds, t.record?.config?.metadata?.releaseId])).to.deep.equal([
      [east.name, current(east.name), earlier.get(east.name)],
    ]);
  });

  it("leaves a stack that already holds the release as it is, and says it skipped it", async () => {
    const history = await world.engine.history(west);
    const target: RestoreTarget = { stack: west, record: history[0], holds: current(west.name), served: undefined, outputs: undefined };
    const upsBefore = world.engine.updatesOf("up").length;

    const outcomes = await restore([target], options(), world.ports());

    expect(outcomes).to.deep.equal([{ stack: west, state: "unchanged", releaseId: current(west.name) }]);
    expect(world.reporter.of("stack-skipped")).to.deep.equal([
      { type: "stack-skipped", stack: west.name, releaseId: current(west.name), reason: "already holds this release" },
    ]);
    expect(world.engine.updatesOf("up")).to.have.length(upsBefore);
  });

  it("has no earlier release to return to without a record, or with one dcp did not make, and says what the stack holds", async () => {
    const record = await earlierRecord(east);
    const { metadata: _none, ...notDcps } = record.config!;
    const targets: RestoreTarget[] = [
      { stack: east, record: undefined, holds: current(east.name), served: undefined, outputs: undefined },
      { stack: west, record: { ...record, config: notDcps }, holds: undefined, served: undefined, outputs: undefined },
    ];

    const outcomes = await restore(targets, options(), world.ports());

    expect(outcomes).to.deep.equal([
      { stack: east, state: "no-earlier-release", holds: current(east.name) },
      { stack: west, state: "no-earlier-release" },
    ]);
    expect(world.engine.updatesOf("up")).to.deep.equal([]);
  });

  it("rolls a stack that holds no release 'to' the release, without a release it came from", async () => {
    const target: RestoreTarget = { stack: east, record: await earlierRecord(east), holds: undefined, served: undefined, outputs: undefined };

    const outcomes = await restore([target], options(), world.ports());

    expect(outcomes).to.deep.equal([{ stack: east, state: "rolled-back", releaseId: earlier.get(east.name) }]);
    expect(world.reporter.of("rolled-back")).to.deep.equal([{ type: "rolled-back", stack: east.name, releaseId: earlier.get(east.name) }]);
    expect(world.engine.configOf(east.name)?.metadata?.reason).to.equal(`rollback to ${earlier.get(east.name)}`);
  });

  it("reports a stack whose update fails with what it still holds, and goes on with the others", async () => {
    world.engine.failUp(east.name, "Rate exceeded");

    const outcomes = await restore(await holdingCurrent(), options(), world.ports());

    expect(outcomes).to.deep.equal([
      { stack: east, state: "failed", releaseId: earlier.get(east.name), holds: current(east.name), error: "Rate exceeded" },
      { stack: west, state: "rolled-back", releaseId: earlier.get(west.name), from: current(west.name) },
    ]);
    expect(world.reporter.of("rollback-failed")).to.deep.equal([{ type: "rollback-failed", stack: east.name, message: "Rate exceeded", holds: current(east.name) }]);
  });

  it("reports the failure of a stack that held no release without a release it holds", async () => {
    world.engine.failUp(east.name, "Rate exceeded");
    const target: RestoreTarget = { stack: east, record: await earlierRecord(east), holds: undefined, served: undefined, outputs: undefined };

    const outcomes = await restore([target], options(), world.ports());

    expect(outcomes).to.deep.equal([{ stack: east, state: "failed", releaseId: earlier.get(east.name), error: "Rate exceeded" }]);
    expect(world.reporter.of("rollback-failed")).to.deep.equal([{ type: "rollback-failed", stack: east.name, message: "Rate exceeded" }]);
  });

  it("cancels its stack updates when the run is cancelled (a second Ctrl-C)", async () => {
    const outcomes = await restore(await holdingCurrent(), options({ cancelling: AbortSignal.abort() }), world.ports());

    expect(outcomes.map((o) => [o.state, o.state === "failed" && o.error])).to.deep.equal([
      ["failed", "the update of gamma-us-east-1 was cancelled"],
      ["failed", "the update of gamma-eu-west-1 was cancelled"],
    ]);
    expect(world.engine.releaseOf(east.name)).to.equal(current(east.name));
  });

  it("stops the AppConfig deployment in progress before it updates the stack", async () => {
    world.deployments.takeMs(10 * 60_000);
    world.deployments.started(east.name, 7);

    await restore(await holdingCurrent(), options(), world.ports());

    expect(world.deployments.stopped).to.deep.equal([{ stack: east.name, deploymentNumber: 7 }]);
    expect(world.reporter.of("appconfig-stopped")).to.deep.equal([{ type: "appconfig-stopped", stack: east.name, deploymentNumber: 7 }]);
  });

  it("runs this checkout's program, recording its context as it is, when the release was made from this very revision", async () => {
    const dirty = { ...context, gitCommit: "0ld0ld0", gitDirty: true };

    await restore(await holdingCurrent(), options({ context: dirty }), world.ports());

    expect(world.reporter.of("program-revision")).to.deep.equal([]);
    expect(world.engine.calls.filter((c) => c.op === "up").map((c) => c.programRevision)).to.deep.equal([undefined, undefined]);
    expect(world.engine.configOf(east.name)?.metadata).to.include({ gitCommit: "0ld0ld0", gitDirty: true });
  });

  describe("a setup problem (no credentials, a wrong passphrase)", () => {
    it("is thrown as such when no stack was rolled back", async () => {
      world.engine.failUp(east.name, "no AWS credentials: set AWS_PROFILE", { setup: "aws-credentials" });
      const [eastTarget] = await holdingCurrent();
      const history = await world.engine.history(west);
      const unchanged: RestoreTarget = { stack: west, record: history[0], holds: current(west.name), served: undefined, outputs: undefined };

      const error = await failureOf(restore([eastTarget!, unchanged], options(), world.ports()));

      expect(error).to.be.instanceOf(SetupError);
      expect(error.exitCode).to.equal(ExitCode.usage);
      expect(error.message).to.equal("no AWS credentials: set AWS_PROFILE");
    });

    it("is one stack's failure among the others' outcomes once another stack was rolled back", async () => {
      world.engine.failUp(east.name, "no AWS credentials: set AWS_PROFILE", { setup: "aws-credentials" });

      const [failed, rolledBack] = await restore(await holdingCurrent(), options(), world.ports());

      expect(failed).to.include({ state: "failed", error: "no AWS credentials: set AWS_PROFILE" });
      expect(rolledBack).to.include({ state: "rolled-back" });
    });
  });

  it("builds a run's restore options from its own: now as the release time, today's placement, the cancel signal", () => {
    const cancelling = new AbortController().signal;
    const policyConfig = () => ({});
    const built = restoreOptions({ policyConfig, context, interrupts: { cancelling } }, envs, world.clock);
    const { placement, ...rest } = built;
    expect(rest).to.deep.equal({ policyConfig, context, releasedAt: "2026-03-02T09:00:00.000Z", cancelling });
    expect(rest.cancelling).to.equal(cancelling);
    expect(placement("prod")).to.deep.equal(placementOf(envs, "prod"));

    const { placement: _placement, ...plain } = restoreOptions({ policyConfig, context, currentProgram: false }, envs, world.clock);
    expect(plain).to.deep.equal({ policyConfig, context, releasedAt: "2026-03-02T09:00:00.000Z", currentProgram: false });
    const { placement: _default, ...none } = restoreOptions({ policyConfig, context }, envs, world.clock);
    expect(none).to.deep.equal({ policyConfig, context, releasedAt: "2026-03-02T09:00:00.000Z" });
  });

  it("names no program revision for a missing record or one without a config", () => {
    expect(programRevisionOf(undefined, context)).to.equal(undefined);
    expect(programRevisionOf({ version: 1, kind: "update", result: "succeeded", startedAt: new Date(0), environment: {} }, context)).to.equal(undefined);
  });
});

describe("the policies a rollback enforces", () => {
  it("relaxes the configuration rules to advisory, keeps the security policies as they are, and leaves disabled and advisory rules alone", () => {
    const relaxed = relaxedForRollback({
      "iam-no-wildcards": "mandatory",
      "no-secrets-in-configuration": { enforcementLevel: "mandatory", patterns: ["AKIA"] },
      "no-debug-logging-in-production": "mandatory",
      "throttling-in-bounds": "remediate",
      "required-tags": { enforcementLevel: "mandatory", tags: ["workload"] },
      "prod-rollout-bakes-long-enough": { enforcementLevel: "disabled", minMinutes: 30 },
      "alarm-monitors": "disabled",
      "log-retention": "advisory",
      "limits-in-bounds": { maxConnections: 500 },
      unset: null,
      stage: "prod",
    });

    expect(relaxed).to.deep.equal({
      "iam-no-wildcards": "mandatory",
      "no-secrets-in-configuration": { enforcementLevel: "mandatory", patterns: ["AKIA"] },
      "no-debug-logging-in-production": "advisory",
      "throttling-in-bounds": "advisory",
      "required-tags": { enforcementLevel: "advisory", tags: ["workload"] },
      "prod-rollout-bakes-long-enough": { enforcementLevel: "disabled", minMinutes: 30 },
      "alarm-monitors": "disabled",
      "log-retention": "advisory",
      "limits-in-bounds": { maxConnections: 500 },
      unset: null,
      stage: "prod",
    });
  });
});

describe("the error of a rollback that needs a human", () => {
  const stack = (region: string): StackRef => ({ stage: "prod", region, name: `prod-${region}` });

  it("says where each stack stands and what to run next for each stack it could not restore", () => {
    const outcomes: RestoreOutcome[] = [
      { stack: stack("us-east-1"), state: "rolled-back", releaseId: "aaaaaaaaaaaa", from: "bbbbbbbbbbbb" },
      { stack: stack("us-west-2"), state: "rolled-back", releaseId: "aaaaaaaaaaa2" },
      { stack: stack("eu-west-1"), state: "unchanged", releaseId: "aaaaaaaaaaa3" },
      { stack: stack("eu-central-1"), state: "failed", releaseId: "aaaaaaaaaaa4", holds: "bbbbbbbbbbb4", error: "stack prod-eu-central-1 is Locked by another update" },
      { stack: stack("ap-southeast-2"), state: "failed", releaseId: "aaaaaaaaaaa5", error: "Rate exceeded" },
      { stack: stack("ap-northeast-1"), state: "no-earlier-release" },
      { stack: stack("sa-east-1"), state: "no-earlier-release", holds: "bbbbbbbbbbb7" },
    ];

    const error = rollbackError("rollback of prod failed: a human is needed.", outcomes);

    expect(error.exitCode).to.equal(ExitCode.rollbackFailed);
    expect(error.message.split("\n")).to.deep.equal([
      "rollback of prod failed: a human is needed.",
      "State of each stack:",
      "  prod-us-east-1: rolled back to aaaaaaaaaaaa (from bbbbbbbbbbbb)",
      "  prod-us-west-2: rolled back to aaaaaaaaaaa2",
      "  prod-eu-west-1: already held aaaaaaaaaaa3, unchanged",
      "  prod-eu-central-1: ROLLBACK FAILED, still holds bbbbbbbbbbb4 (its resources may be partly updated): stack prod-eu-central-1 is Locked by another update",
      "  prod-ap-southeast-2: ROLLBACK FAILED, still holds no release (its resources may be partly updated): Rate exceeded",
      "  prod-ap-northeast-1: has no earlier release to return to, holds no release",
      "  prod-sa-east-1: has no earlier release to return to, holds bbbbbbbbbbb7",
      "Next:",
      "  prod-eu-central-1: fix the cause above, then `dcp rollback prod --region eu-central-1 --to aaaaaaaaaaa4`",
      "  prod-eu-central-1: if no update is really running, `pulumi cancel --stack prod-eu-central-1` first",
      "  prod-ap-southeast-2: fix the cause above, then `dcp rollback prod --region ap-southeast-2 --to aaaaaaaaaaa5`",
      "  prod-ap-northeast-1: fix forward with `dcp release`, or remove its resources by hand",
      "  prod-sa-east-1: fix forward with `dcp release`, or remove its resources by hand",
    ]);
  });

  it("has nothing to run next when every stack was restored", () => {
    const error = rollbackError("headline", [{ stack: stack("us-east-1"), state: "unchanged", releaseId: "aaaaaaaaaaaa" }]);
    expect(error.message.split("\n")).to.deep.equal(["headline", "State of each stack:", "  prod-us-east-1: already held aaaaaaaaaaaa, unchanged", "Next:"]);
  });
});
