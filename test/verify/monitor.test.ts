import { expect } from "chai";
import { getEventListeners } from "node:events";
import * as os from "node:os";
import * as path from "node:path";
import type { Envs } from "../../cli/config/model";
import { systemClock } from "../../cli/pipeline/clock";
import type { Clock, HealthMonitor, HealthVerdict, WatchOptions, WatchTarget } from "../../cli/pipeline/ports";
import type { CheckRun } from "../../cli/verify/check-run";
import { withVerification } from "../../cli/verify/monitor";
import { FakeHealthMonitor } from "../pipeline/fakes/health";
import { sampleEnvs, World } from "../pipeline/fakes/world";
import { hang, json, LocalServer } from "./local-server";
import { eventually } from "./processes";
import { localHealthCheck, withChecks } from "./sample-with-checks";

/** A clock that stands still at `at`: it records each wait, which ends only when aborted. */
function heldClock(at: number) {
  const waits: number[] = [];
  const clock: Clock = {
    now: () => at,
    sleep: (ms, signal) =>
      new Promise((_, reject) => {
        waits.push(ms);
        signal?.addEventListener("abort", () => reject(new Error("the operation was aborted")), { once: true });
      }),
  };
  return { clock, waits };
}

/** A wrapped monitor whose watch answers only when the test says, and shows the signal it was given. */
function heldMonitor() {
  let answer: (verdict: HealthVerdict) => void = () => undefined;
  const watches: WatchOptions[] = [];
  const monitor: HealthMonitor = {
    watch: (_targets, options) => {
      watches.push(options);
      return new Promise<HealthVerdict>((resolve, reject) => {
        answer = resolve;
        options.signal?.addEventListener("abort", () => reject(new Error("the watch was aborted")), { once: true });
      });
    },
  };
  return { monitor, watches, answer: (verdict: HealthVerdict) => answer(verdict) };
}

describe("a health monitor with verification checks", () => {
  let sample: Envs;
  let server: LocalServer;
  let failAfter: number;
  before(async () => {
    sample = await sampleEnvs();
    server = await LocalServer.start({
      "/gamma/us-east-1/health": json(200, { status: "ok" }),
      "/hang": hang,
      "/gamma/eu-west-1/health": (request, response) => {
        const hits = server.hits.get("/gamma/eu-west-1/health") ?? 0;
        json(hits > failAfter ? 500 : 200, {})(request, response);
      },
    });
  });
  beforeEach(() => {
    server.hits.clear();
    failAfter = Number.POSITIVE_INFINITY;
  });
  after(() => server.close());

  const gammaTargets = (envs: Envs): WatchTarget[] =>
    new World(envs).stacks("gamma").map((s) => ({
      stack: { stage: s.stage, region: s.region, name: s.name },
      config: s.config,
      outputs: { releaseId: s.releaseId, applicationId: "app", environmentId: "env", profileIds: {}, contentHashes: {}, deploymentNumbers: {}, deploymentStrategyId: "s", alarmNames: [], alarmArns: [] },
    }));

  const watchGamma = async (durationMs: number) => {
    const envs = withChecks(sample, "gamma", [localHealthCheck(server.url(""))], durationMs);
    const runs: CheckRun[] = [];
    const monitor = withVerification(new FakeHealthMonitor(systemClock), envs, { onRun: (run) => runs.push(run) });
    const verdict = await monitor.watch(gammaTargets(envs), { durationMs });
    return { verdict, runs };
  };

  it("stays healthy through the bake while every check passes, having checked each stack repeatedly", async () => {
    // A bake of 50 check intervals: "repeatedly" must hold even when a loaded machine runs
    // only a few of them, so the bound is 3, not the 50 an idle one reaches.
    const { verdict, runs } = await watchGamma(1_000);
    expect(verdict).to.deep.equal({ healthy: true });
    for (const stack of ["gamma-us-east-1", "gamma-eu-west-1"]) {
      expect(runs.filter((r) => r.stack === stack && r.outcome === "passed").length).to.be.at.least(3);
    }
    expect(runs[0]).to.include({ stage: "gamma", wave: "gamma", check: "storefront-health", type: "http" });
  });

  it("turns unhealthy as soon as a check starts failing mid-bake, naming the check and its last result", async () => {
    failAfter = 3;
    const { verdict, runs } = await watchGamma(5_000);
    expect(verdict.healthy).to.be.false;
    // "As soon as": the first failed run (the 4th) ends the watch, one run in flight at most
    // after it; checks every 20 ms through the 5 s bake would have run some 250 times.
    expect(runs.filter((r) => r.stack === "gamma-eu-west-1").length).to.be.within(failAfter + 1, failAfter + 2);
    const [reason, ...others] = verdict.healthy ? [] : verdict.reasons;
    expect(others).to.deep.equal([]);
    expect(reason).to.include({ stack: "gamma-eu-west-1", kind: "check", subject: "storefront-health" });
    expect(reason?.detail).to.match(/^HTTP 500 from http:\/\/127\.0\.0\.1:\d+\/gamma\/eu-west-1\/health after \d+ ms, expected 2xx$/);
  });

  it("stops every check when the bake ends: no request is made afterwards", async () => {
    await watchGamma(100);
    // A request aborted at the bake's end may already be on the wire and reach the server
    // a moment later; what must not happen is a new one, which at a 20 ms interval would
    // show several times over in the next 100 ms.
    await new Promise((resolve) => setTimeout(resolve, 30));
    const hits = server.hits.get("/gamma/us-east-1/health");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.hits.get("/gamma/us-east-1/health")).to.equal(hits);
  });

  it("keeps the wrapped monitor's own verdict, an alarm, when no check failed", async () => {
    const envs = withChecks(sample, "gamma", [localHealthCheck(server.url(""))], 5_000);
    const alarms = new FakeHealthMonitor(systemClock, 20);
    alarms.fireAlarm("gamma-us-east-1", "checkout-5xx", { afterMs: 50 });
    const verdict = await withVerification(alarms, envs).watch(gammaTargets(envs), { durationMs: 5_000 });
    expect(verdict).to.deep.equal({ healthy: false, reasons: [{ stack: "gamma-us-east-1", kind: "alarm", subject: "checkout-5xx", detail: "in ALARM" }] });
  });

  it("waits past a short bake for a check's first run to finish: a check that never finished proved nothing", async () => {
    const envs = withChecks(sample, "gamma", [{ type: "command", name: "acceptance", run: "sleep 0.2; exit 1", timeoutSeconds: 5 }], 0);
    const verdict = await withVerification(new FakeHealthMonitor(systemClock), envs).watch(gammaTargets(envs), { durationMs: 0 });
    expect(verdict.healthy).to.be.false;
    expect(verdict.healthy ? [] : verdict.reasons.map((r) => r.subject)).to.include("acceptance");
  });

  it("repeats HTTP checks every 30 s and command checks every 5 minutes unless told, on the bake's clock", async () => {
    const at = Date.parse("2026-03-02T09:00:00Z");
    const { clock, waits } = heldClock(at);
    const { monitor, answer } = heldMonitor();
    const checks = [{ ...localHealthCheck(server.url("")), intervalSeconds: undefined }, { type: "command" as const, name: "acceptance", run: "true", timeoutSeconds: 5 }];
    const envs = withChecks(sample, "gamma", checks, 60_000);
    const runs: CheckRun[] = [];

    const watching = withVerification(monitor, envs, { clock, onRun: (run) => runs.push(run) }).watch(gammaTargets(envs), { durationMs: 60_000 });
    expect(await eventually(() => waits.length === 4, 5_000)).to.be.true;
    answer({ healthy: true });

    expect(await watching).to.deep.equal({ healthy: true });
    // A check waits for its next run right after its run is recorded: the i-th wait is the i-th run's.
    expect(runs.map((run, i) => `${run.type} every ${waits[i]} ms`).sort()).to.deep.equal(["command every 300000 ms", "command every 300000 ms", "http every 30000 ms", "http every 30000 ms"]);
    expect(runs.map((run) => run.startedAt)).to.deep.equal([at, at, at, at]);
  });

  /** What a command check that fails at once reports, printing `report` to stderr: the reason the bake ends with. */
  const failedCommand = async (report: string, fields: { cwd?: string }, options: { repoRoot?: string } = {}) => {
    const envs = withChecks(sample, "gamma", [{ type: "command", name: "acceptance", run: `${report} >&2; exit 1`, timeoutSeconds: 5, ...fields }], 60_000);
    const verdict = await withVerification(heldMonitor().monitor, envs, options).watch(gammaTargets(envs).slice(0, 1), { durationMs: 60_000 });
    return verdict.healthy ? "" : (verdict.reasons[0]?.detail ?? "").replace(/^exit 1 after \d+\.\d s: /, "");
  };

  it("runs a command told about the stack it checks", async () => {
    const [target] = gammaTargets(sample);
    expect(await failedCommand('echo "$DCP_STAGE $DCP_REGION $DCP_STACK $DCP_RELEASE_ID $DCP_CHECK $DCP_OUTPUTS"', {})).to.equal(
      `gamma us-east-1 gamma-us-east-1 ${target?.outputs.releaseId} acceptance ${JSON.stringify(target?.outputs)}`,
    );
  });

  it("runs a command in the repo root (the parent of envs/), or in its own cwd beneath it, or beneath the root it is given", async () => {
    const root = path.dirname(sample.dir);
    expect(await failedCommand("pwd", {})).to.equal(root);
    expect(await failedCommand("pwd", { cwd: "infra" })).to.equal(path.join(root, "infra"));
    expect(await failedCommand("pwd", {}, { repoRoot: os.tmpdir() })).to.equal(os.tmpdir());
  });

  it("names the wave of the stack in each run", async () => {
    const envs = withChecks(sample, "prod", [localHealthCheck(server.url(""))], 0);
    const runs: CheckRun[] = [];
    const prod = new World(envs).stacks("prod").map((s) => ({ ...(gammaTargets(envs)[0] as WatchTarget), stack: { stage: s.stage, region: s.region, name: s.name } }));

    await withVerification(new FakeHealthMonitor(systemClock), envs, { onRun: (run) => runs.push(run) }).watch(prod, { durationMs: 0 });

    const waves = new Map(runs.map((run) => [run.stack, run.wave]));
    expect(waves.get("prod-us-east-1")).to.equal("canary");
    expect(new Set(waves.values()).size).to.be.greaterThan(1);
  });

  it("stops the checks and the wrapped watch when the bake is interrupted", async () => {
    const { monitor, watches } = heldMonitor();
    const envs = withChecks(sample, "gamma", [{ type: "command", name: "acceptance", run: "sleep 30", timeoutSeconds: 60 }], 60_000);
    const stopping = new AbortController();
    const runs: CheckRun[] = [];

    const watching = withVerification(monitor, envs, { onRun: (run) => runs.push(run), killGraceMs: 100 }).watch(gammaTargets(envs), { durationMs: 60_000, signal: stopping.signal });
    stopping.abort();

    expect(await watching.catch((error: unknown) => error)).to.have.property("message", "the watch was aborted");
    expect(watches[0]?.signal?.aborted).to.equal(true);
    expect(runs).to.deep.equal([]);
  });

  it("ends the bake on the wrapped monitor's alarm without waiting for a check still in flight", async () => {
    // The check hangs for 2 s and would then fail: the alarm, not the check, must be the verdict.
    const envs = withChecks(sample, "gamma", [{ type: "http", name: "storefront-health", url: server.url("/hang"), timeoutMs: 2_000 }], 60_000);
    const { monitor, answer } = heldMonitor();
    const runs: CheckRun[] = [];
    const alarm: HealthVerdict = { healthy: false, reasons: [{ stack: "gamma-us-east-1", kind: "alarm", subject: "checkout-5xx", detail: "in ALARM" }] };

    const watching = withVerification(monitor, envs, { onRun: (run) => runs.push(run) }).watch(gammaTargets(envs), { durationMs: 60_000 });
    answer(alarm);

    expect(await watching).to.deep.equal(alarm);
    expect(runs).to.deep.equal([]);
  });

  it("stops the wrapped watch once a check has failed", async () => {
    failAfter = 0;
    const envs = withChecks(sample, "gamma", [localHealthCheck(server.url(""))], 60_000);
    const { monitor, watches } = heldMonitor();

    const verdict = await withVerification(monitor, envs).watch(gammaTargets(envs), { durationMs: 60_000 });

    expect(verdict.healthy ? [] : verdict.reasons.map((r) => [r.stack, r.subject])).to.deep.equal([["gamma-eu-west-1", "storefront-health"]]);
    expect(watches[0]?.signal?.aborted).to.equal(true);
  });

  it("leaves no unhandled rejection behind when a check failed, which would crash dcp", async () => {
    failAfter = 0;
    const envs = withChecks(sample, "gamma", [localHealthCheck(server.url(""))], 60_000);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const verdict = await withVerification(heldMonitor().monitor, envs).watch(gammaTargets(envs), { durationMs: 60_000 });
      expect(verdict.healthy).to.equal(false);
      await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
    expect(unhandled).to.deep.equal([]);
  });

  it("leaves no listener on the release's signal once a bake is over, however many bakes share it", async () => {
    const envs = withChecks(sample, "gamma", [localHealthCheck(server.url(""))], 0);
    const release = new AbortController();
    const monitor = withVerification(new FakeHealthMonitor(systemClock), envs);

    expect(await monitor.watch(gammaTargets(envs), { durationMs: 0, signal: release.signal })).to.deep.equal({ healthy: true });
    expect(await monitor.watch(gammaTargets(envs), { durationMs: 0, signal: release.signal })).to.deep.equal({ healthy: true });

    expect(getEventListeners(release.signal, "abort")).to.deep.equal([]);
  });

  it("names no wave for a stack in a region none of the stage's waves lists", async () => {
    const envs = withChecks(sample, "gamma", [localHealthCheck(server.url(""))], 0);
    const runs: CheckRun[] = [];
    const [target] = gammaTargets(envs);
    const elsewhere = { ...(target as WatchTarget), stack: { stage: "gamma", region: "ap-south-1", name: "gamma-ap-south-1" } };

    await withVerification(new FakeHealthMonitor(systemClock), envs, { onRun: (run) => runs.push(run) }).watch([elsewhere], { durationMs: 0 });

    expect(runs.map((run) => [run.stack, run.wave])).to.deep.include(["gamma-ap-south-1", ""]);
  });

  it("stops the checks at once when the bake is interrupted, while the wrapped monitor is still winding down", async () => {
    const envs = withChecks(sample, "gamma", [localHealthCheck(server.url(""))], 60_000);
    let settle: (verdict: HealthVerdict) => void = () => undefined;
    const slowToStop: HealthMonitor = { watch: () => new Promise<HealthVerdict>((resolve) => (settle = resolve)) };
    const stopping = new AbortController();

    const watching = withVerification(slowToStop, envs).watch(gammaTargets(envs), { durationMs: 60_000, signal: stopping.signal });
    expect(await eventually(() => (server.hits.get("/gamma/us-east-1/health") ?? 0) > 0)).to.be.true;
    stopping.abort();
    // As in "stops every check when the bake ends": a request already on the wire may still land.
    await new Promise((resolve) => setTimeout(resolve, 30));
    const hits = server.hits.get("/gamma/us-east-1/health");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.hits.get("/gamma/us-east-1/health")).to.equal(hits);

    settle({ healthy: true });
    expect(await watching).to.deep.equal({ healthy: true });
  });

  it("answers `dcp status` with the wrapped monitor's own check, running no checks", async () => {
    const envs = withChecks(sample, "gamma", [localHealthCheck(server.url(""))], 0);
    const alarms = new FakeHealthMonitor(systemClock);
    alarms.fireAlarm("gamma-us-east-1", "checkout-5xx");

    const verdict = await withVerification(alarms, envs).check?.(gammaTargets(envs));

    expect(verdict).to.deep.equal({ healthy: false, reasons: [{ stack: "gamma-us-east-1", kind: "alarm", subject: "checkout-5xx", detail: "in ALARM" }] });
    expect(server.hits.size).to.equal(0);
    expect(withVerification({ watch: alarms.watch.bind(alarms) }, envs)).to.not.have.property("check");
  });

  it("leaves stacks of a stage envs/ does not know to the wrapped monitor alone", async () => {
    const envs = withChecks(sample, "gamma", [localHealthCheck(server.url(""))], 0);
    const unknown = gammaTargets(envs).map((t) => ({ ...t, stack: { ...t.stack, stage: "staging" } }));

    expect(await withVerification(new FakeHealthMonitor(systemClock), envs).watch(unknown, { durationMs: 0 })).to.deep.equal({ healthy: true });
    expect(server.hits.size).to.equal(0);
  });

  it("leaves a stage without checks to the wrapped monitor alone, watching with the bake's own options", async () => {
    const envs = withChecks(sample, "prod", [localHealthCheck(server.url(""))], 0);
    const verdict = await withVerification(new FakeHealthMonitor(systemClock), envs).watch(gammaTargets(envs), { durationMs: 50 });
    expect(verdict).to.deep.equal({ healthy: true });
    expect(server.hits.size).to.equal(0);

    const { monitor, watches, answer } = heldMonitor();
    const options = { durationMs: 50, signal: new AbortController().signal };
    const watching = withVerification(monitor, envs).watch(gammaTargets(envs), options);
    answer({ healthy: true });
    expect(await watching).to.deep.equal({ healthy: true });
    expect(watches).to.deep.equal([options]);
    expect(watches[0]).to.equal(options);
  });
});
