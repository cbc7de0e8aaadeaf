import { expect } from "chai";
import type { AlarmReading, DeploymentReading, DeploymentRef, StackProbe } from "../../cli/health/aws-probe";
import { checkStacks, watchStacks, type WatchSettings } from "../../cli/health/watch";
import { SetupError } from "../../cli/errors";
import type { HealthVerdict, WatchOptions, WatchTarget } from "../../cli/pipeline/ports";
import type { StackOutputs } from "../../infra/outputs";
import { sampleConfig } from "../engine/sample-config";
import { FakeClock } from "../pipeline/fakes/clock";

const SECOND = 1_000;
const MINUTE = 60_000;

/** gamma's rollout (sampleConfig): 10 min + 10 min final bake. */
function target(region: string, outputs: Partial<StackOutputs> = {}): WatchTarget {
  return {
    stack: { stage: "gamma", region, name: `gamma-${region}` },
    config: sampleConfig(),
    outputs: {
      releaseId: "0123456789ab",
      applicationId: `app-${region}`,
      environmentId: `env-${region}`,
      profileIds: {},
      contentHashes: {},
      deploymentNumbers: { checkout: 8 },
      deploymentStrategyId: "strategy-1",
      alarmNames: ["checkout-5xx"],
      alarmArns: [],
      ...outputs,
    },
  };
}

interface Script {
  alarms?: (names: string[], elapsedMs: number, signal?: AbortSignal) => AlarmReading;
  deployment?: (ref: DeploymentRef, elapsedMs: number) => DeploymentReading;
}

describe("the bake's watch over a wave's stacks", () => {
  let clock: FakeClock;
  let start: number;
  let settings: WatchSettings;
  let reads: { stack: string; at: number; what: string }[];
  beforeEach(() => {
    clock = new FakeClock();
    start = clock.now();
    settings = { pollIntervalMs: 10 * SECOND, graceMs: 20 * SECOND, deploymentMarginMs: 5 * MINUTE, clock };
    reads = [];
  });

  /** Probes that answer from a script per stack (by region), on the clock's elapsed time; healthy unless told. */
  const probes = (scripts: Record<string, Script> = {}) => async (watched: WatchTarget): Promise<StackProbe> => {
    const script = scripts[watched.stack.region] ?? {};
    const stack = watched.stack.name;
    return {
      alarms: async (names, signal) => {
        reads.push({ stack, at: clock.now() - start, what: `alarms ${names.join(",")}` });
        return script.alarms?.(names, clock.now() - start, signal) ?? { firing: [], missing: [] };
      },
      deployment: async (ref) => {
        reads.push({ stack, at: clock.now() - start, what: `deployment #${ref.deploymentNumber}` });
        return script.deployment?.(ref, clock.now() - start) ?? { state: "COMPLETE" };
      },
    };
  };
  const watch = (targets: WatchTarget[], scripts: Record<string, Script>, options: WatchOptions): Promise<HealthVerdict> =>
    watchStacks(targets, probes(scripts), options, settings);
  const failing = (from: number, until = Number.POSITIVE_INFINITY) => (_names: string[], elapsedMs: number): AlarmReading => {
    if (elapsedMs >= from && elapsedMs < until) throw new Error("socket hang up");
    return { firing: [], missing: [] };
  };

  it("polls every interval and ends on time when the bake is not a whole number of intervals, telling its progress", async () => {
    const progress: [number, number][] = [];
    const verdict = await watch([target("us-east-1")], {}, { durationMs: 25 * SECOND, onProgress: (elapsed, total) => progress.push([elapsed, total]) });

    expect(verdict).to.deep.equal({ healthy: true });
    expect(clock.now() - start).to.equal(25 * SECOND);
    expect(reads.filter((read) => read.what.startsWith("alarms")).map((read) => read.at)).to.deep.equal([0, 10 * SECOND, 20 * SECOND, 25 * SECOND]);
    expect(progress).to.deep.equal([
      [0, 25 * SECOND],
      [10 * SECOND, 25 * SECOND],
      [20 * SECOND, 25 * SECOND],
      [25 * SECOND, 25 * SECOND],
    ]);
  });

  it("reads a deployment until it is COMPLETE, and no more after", async () => {
    await watch([target("us-east-1", { deploymentNumbers: { checkout: 8, "feature-flags": 7 } })], {
      "us-east-1": { deployment: (ref, elapsed) => ({ state: ref.deploymentNumber === 7 || elapsed >= 10 * SECOND ? "COMPLETE" : "DEPLOYING" }) },
    }, { durationMs: 30 * SECOND });

    const deploymentReads = reads.filter((read) => read.what.startsWith("deployment"));
    expect(deploymentReads.map((read) => `${read.at / SECOND}s ${read.what}`)).to.deep.equal(["0s deployment #8", "0s deployment #7", "10s deployment #8"]);
  });

  it("asks AWS for no alarms of a stack that has none", async () => {
    const verdict = await watch([target("us-east-1", { alarmNames: [] })], {}, { durationMs: 0 });

    expect(verdict).to.deep.equal({ healthy: true });
    expect(reads.map((read) => read.what)).to.deep.equal(["deployment #8"]);
  });

  it("caps the progress it tells at the bake's length while it waits for a deployment to finish", async () => {
    const progress: number[] = [];
    await watch([target("us-east-1")], { "us-east-1": { deployment: (_, elapsed) => ({ state: elapsed >= 30 * SECOND ? "COMPLETE" : "BAKING" }) } }, {
      durationMs: 10 * SECOND,
      onProgress: (elapsed) => progress.push(elapsed),
    });

    expect(progress).to.deep.equal([0, 10 * SECOND, 10 * SECOND, 10 * SECOND]);
    expect(clock.now() - start).to.equal(30 * SECOND);
  });

  it("fails a deployment still running once the strategy's 20 minutes and the 5 minute margin have passed, saying how long it ran", async () => {
    const verdict = await watch([target("us-east-1"), target("eu-west-1")], { "eu-west-1": { deployment: () => ({ state: "DEPLOYING" }) } }, { durationMs: 5 * MINUTE });

    expect(verdict).to.deep.equal({
      healthy: false,
      reasons: [
        {
          stack: "gamma-eu-west-1",
          kind: "deployment",
          subject: "checkout deployment #8",
          detail: "AppConfig deployment is still DEPLOYING after 25 minutes, longer than its strategy allows",
        },
      ],
    });
    expect(clock.now() - start).to.equal(25 * MINUTE);
  });

  it("fails a deployment AppConfig REVERTED, and one ROLLED_BACK without saying why", async () => {
    const verdict = await watch([target("us-east-1"), target("eu-west-1")], {
      "us-east-1": { deployment: () => ({ state: "REVERTED" }) },
      "eu-west-1": { deployment: () => ({ state: "ROLLED_BACK" }) },
    }, { durationMs: 30 * MINUTE });

    expect(verdict).to.deep.equal({
      healthy: false,
      reasons: [
        { stack: "gamma-us-east-1", kind: "deployment", subject: "checkout deployment #8", detail: "AppConfig deployment is REVERTED" },
        { stack: "gamma-eu-west-1", kind: "deployment", subject: "checkout deployment #8", detail: "AppConfig deployment is ROLLED_BACK" },
      ],
    });
    expect(clock.now()).to.equal(start);
  });

  describe("the grace period for monitoring that cannot be read", () => {
    it("tolerates reads failing for exactly the grace period, and fails the bake at the next poll, saying for how long and why", async () => {
      const verdict = await watch([target("us-east-1")], { "us-east-1": { alarms: failing(10 * SECOND) } }, { durationMs: 30 * MINUTE });

      expect(verdict).to.deep.equal({
        healthy: false,
        reasons: [
          {
            stack: "gamma-us-east-1",
            kind: "monitoring",
            subject: "alarms and deployments",
            detail: "could not read the stack's health for 30s (grace 20s): Error: socket hang up",
          },
        ],
      });
      expect(clock.now() - start).to.equal(30 * SECOND);
    });

    it("counts from the last read that worked, so a stack readable again starts a new grace period", async () => {
      const verdict = await watch([target("us-east-1")], {
        "us-east-1": { alarms: (names, elapsed) => (elapsed === 20 * SECOND ? { firing: [], missing: [] } : failing(10 * SECOND)(names, elapsed)) },
      }, { durationMs: 30 * MINUTE });

      expect(verdict.healthy === false && verdict.reasons[0]?.detail).to.match(/^could not read the stack's health for 30s/);
      expect(clock.now() - start).to.equal(50 * SECOND);
    });

    it("calls a missing alarm unreadable monitoring, naming it: the bake cannot see it fire", async () => {
      const verdict = await watch([target("us-east-1", { alarmNames: ["checkout-5xx", "payments-errors", "inventory-latency"] })], {
        "us-east-1": { alarms: () => ({ firing: [], missing: ["payments-errors", "inventory-latency"] }) },
      }, { durationMs: 30 * MINUTE });

      expect(verdict.healthy === false && verdict.reasons).to.deep.equal([
        {
          stack: "gamma-us-east-1",
          kind: "monitoring",
          subject: "alarms and deployments",
          detail: "could not read the stack's health for 30s (grace 20s): Error: CloudWatch has no alarm named payments-errors, inventory-latency",
        },
      ]);
    });

    it("says what a failed read threw when it is not an error", async () => {
      const verdict = await checkStacks([target("us-east-1")], probes({ "us-east-1": { alarms: () => { throw "connection reset"; } } }), settings);

      expect(verdict.healthy === false && verdict.reasons[0]?.detail).to.equal("could not read the stack's health for 0s (grace 0s): connection reset");
    });

    it("does not end a bake as healthy while any one stack's last read failed, but reads again", async () => {
      const verdict = await watch([target("us-east-1"), target("eu-west-1")], { "eu-west-1": { alarms: failing(30 * SECOND, 40 * SECOND) } }, { durationMs: 30 * SECOND });

      expect(verdict).to.deep.equal({ healthy: true });
      expect(clock.now() - start).to.equal(40 * SECOND);
    });

    it("does not end a bake as healthy past the deployments' bound while a read fails, but reads again", async () => {
      // The bake ends at the deployments' bound (20 + 5 minutes): no deployment pending, one read failing.
      const verdict = await watch([target("us-east-1")], { "us-east-1": { alarms: failing(25 * MINUTE, 25 * MINUTE + 10 * SECOND) } }, { durationMs: 25 * MINUTE });

      expect(verdict).to.deep.equal({ healthy: true });
      expect(clock.now() - start).to.equal(25 * MINUTE + 10 * SECOND);
    });

    it("ends with the interrupt, not as unreadable monitoring, when the bake is stopped during a read", async () => {
      settings.graceMs = 0;
      const stopping = new AbortController();
      const interrupted = new Error("the operation was aborted");
      const watching = watch([target("us-east-1")], {
        "us-east-1": {
          alarms: (_names, elapsed) => {
            if (elapsed < 10 * SECOND) return { firing: [], missing: [] };
            stopping.abort();
            throw interrupted;
          },
        },
      }, { durationMs: 30 * MINUTE, signal: stopping.signal });

      expect(await watching.catch((error: unknown) => error)).to.equal(interrupted);
    });
  });

  describe("a one-off check for `dcp status`", () => {
    it("reads every stack once, now, without waiting for deployments still running", async () => {
      const verdict = await checkStacks([target("us-east-1"), target("eu-west-1")], probes({
        "us-east-1": { deployment: () => ({ state: "DEPLOYING" }) },
        "eu-west-1": { alarms: () => ({ firing: [{ name: "checkout-5xx", reason: "Threshold Crossed" }], missing: [] }) },
      }), settings);

      expect(verdict).to.deep.equal({ healthy: false, reasons: [{ stack: "gamma-eu-west-1", kind: "alarm", subject: "checkout-5xx", detail: "Threshold Crossed" }] });
      expect(reads.map((read) => `${read.stack} ${read.what}`)).to.have.members([
        "gamma-us-east-1 alarms checkout-5xx",
        "gamma-us-east-1 deployment #8",
        "gamma-eu-west-1 alarms checkout-5xx",
        "gamma-eu-west-1 deployment #8",
      ]);
      expect(clock.now()).to.equal(start);
    });

    it("throws a credentials problem as the SetupError it is, not as a stack's health", async () => {
      const setup = new SetupError("aws-credentials", "AWS credentials are missing");
      const failure = await checkStacks([target("us-east-1")], probes({ "us-east-1": { alarms: () => { throw setup; } } }), settings).catch((error: unknown) => error);

      expect(failure).to.equal(setup);
    });
  });
});
