import { expect } from "chai";
import type { Envs } from "../../cli/config/model";
import { systemClock } from "../../cli/pipeline/clock";
import type { WatchTarget } from "../../cli/pipeline/ports";
import type { CheckRun } from "../../cli/verify/check-run";
import { withVerification } from "../../cli/verify/monitor";
import { FakeHealthMonitor } from "../pipeline/fakes/health";
import { sampleEnvs, World } from "../pipeline/fakes/world";
import { json, LocalServer } from "./local-server";
import { localHealthCheck, withChecks } from "./sample-with-checks";

describe("a health monitor with verification checks", () => {
  let sample: Envs;
  let server: LocalServer;
  let failAfter: number;
  before(async () => {
    sample = await sampleEnvs();
    server = await LocalServer.start({
      "/gamma/us-east-1/health": json(200, { status: "ok" }),
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

  it("leaves a stage without checks to the wrapped monitor alone", async () => {
    const envs = withChecks(sample, "prod", [localHealthCheck(server.url(""))], 0);
    const verdict = await withVerification(new FakeHealthMonitor(systemClock), envs).watch(gammaTargets(envs), { durationMs: 50 });
    expect(verdict).to.deep.equal({ healthy: true });
    expect(server.hits.size).to.equal(0);
  });
});
