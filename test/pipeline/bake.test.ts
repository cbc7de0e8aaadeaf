import { expect } from "chai";
import type { Envs } from "../../cli/config/model";
import { bake, MONITOR_DEADLINE_MARGIN_MS } from "../../cli/pipeline/bake";
import { planRelease, stackRefOf, type PlannedWave } from "../../cli/pipeline/plan";
import type { HealthMonitor, WatchOptions, WatchTarget } from "../../cli/pipeline/ports";
import { outputsOf } from "./fakes/engine";
import { sampleEnvs, World } from "./fakes/world";

const MINUTE = 60_000;

describe("the bake of a wave", () => {
  let envs: Envs;
  let world: World;
  let wave: PlannedWave;
  let targets: WatchTarget[];

  before(async () => {
    envs = await sampleEnvs();
  });

  beforeEach(() => {
    world = new World(envs);
    const planned = planRelease(envs, { to: "prod", stage: "prod" }).stages[0]?.waves[0];
    if (planned === undefined) throw new Error("the sample has a prod canary");
    wave = planned;
    targets = wave.stacks.map((s) => ({ stack: stackRefOf(s), config: s.config, outputs: outputsOf(s.config, 1) }));
  });

  /** A monitor that answers only when its watch is stopped, and records when that was. */
  function silentMonitor(): HealthMonitor & { stoppedAt?: number } {
    const monitor: HealthMonitor & { stoppedAt?: number } = {
      watch: (_targets: WatchTarget[], options: WatchOptions) =>
        new Promise((_, reject) =>
          options.signal?.addEventListener("abort", () => {
            monitor.stoppedAt = world.clock.now();
            reject(new Error("stopped"));
          }),
        ),
    };
    return monitor;
  }

  it("watches every stack of the wave for the wave's bake time, and says when the bake starts, progresses and ends healthy", async () => {
    const outcome = await bake(wave, targets, world.ports());

    expect(outcome).to.deep.equal({ healthy: true });
    expect(world.health.watches).to.deep.equal([{ stacks: ["prod-us-east-1"], durationMs: 60 * MINUTE }]);
    expect(world.reporter.of("bake-started")).to.deep.equal([{ type: "bake-started", stage: "prod", wave: "canary", minutes: 60, stacks: ["prod-us-east-1"] }]);
    expect(world.reporter.of("bake-progress").at(-1)).to.deep.equal({ type: "bake-progress", stage: "prod", wave: "canary", elapsedMs: 60 * MINUTE, totalMs: 60 * MINUTE });
    expect(world.reporter.of("bake-done")).to.deep.equal([{ type: "bake-done", stage: "prod", wave: "canary" }]);
  });

  it("an alarm fails the bake with its reason, and says the wave is unhealthy", async () => {
    world.health.fireAlarm("prod-us-east-1", "checkout-5xx");

    const outcome = await bake(wave, targets, world.ports());

    const reasons = [{ stack: "prod-us-east-1", kind: "alarm", subject: "checkout-5xx", detail: "in ALARM" }];
    expect(outcome).to.deep.equal({ healthy: false, reasons });
    expect(world.reporter.of("unhealthy")).to.deep.equal([{ type: "unhealthy", stage: "prod", wave: "canary", reasons }]);
    expect(world.reporter.of("bake-done")).to.be.empty;
  });

  it("a monitor that throws fails the bake of every stack, saying why", async () => {
    const broken: HealthMonitor = { watch: async () => Promise.reject(new Error("AccessDenied: cloudwatch:DescribeAlarms")) };

    const outcome = await bake(wave, targets, { ...world.ports(), health: broken });

    expect(outcome).to.deep.equal({
      healthy: false,
      reasons: [{ stack: "prod-us-east-1", kind: "monitoring", subject: "health monitor", detail: "AccessDenied: cloudwatch:DescribeAlarms" }],
    });
  });

  it("stops watching at once when the release is stopping (Ctrl-C), without waiting for the bake to end", async () => {
    const monitor = silentMonitor();
    const stopping = new AbortController();
    const started = world.clock.now();
    setImmediate(() => stopping.abort());

    const outcome = await bake(wave, targets, { ...world.ports(), health: monitor }, stopping.signal);

    expect(outcome).to.deep.equal({ interrupted: true });
    expect(monitor.stoppedAt).to.equal(started);
  });

  it("a healthy verdict that arrives after Ctrl-C is an interrupted bake, not a passed one", async () => {
    const stopping = new AbortController();
    const healthy: HealthMonitor = { watch: async () => (stopping.abort(), { healthy: true }) };

    const outcome = await bake(wave, targets, { ...world.ports(), health: healthy }, stopping.signal);

    expect(outcome).to.deep.equal({ interrupted: true });
    expect(world.reporter.of("bake-done")).to.be.empty;
  });

  it("gives a silent monitor until the AppConfig rollout ends, when that is longer than the bake, plus a margin", async () => {
    const { durationMinutes, finalBakeMinutes } = wave.stacks[0]?.config.rollout ?? { durationMinutes: 0, finalBakeMinutes: 0 };
    const rolloutMs = (durationMinutes + finalBakeMinutes) * MINUTE;
    const shortBake = { ...wave, bakeMinutes: 5 };
    expect(rolloutMs, "prod's rollout outlasts the bake").to.be.greaterThan(shortBake.bakeMinutes * MINUTE);
    const monitor = silentMonitor();
    const started = world.clock.now();

    const outcome = await bake(shortBake, targets, { ...world.ports(), health: monitor });

    expect(monitor.stoppedAt! - started).to.equal(rolloutMs + MONITOR_DEADLINE_MARGIN_MS);
    const detail = `the health monitor gave no verdict within ${(rolloutMs + MONITOR_DEADLINE_MARGIN_MS) / MINUTE} minutes`;
    expect(outcome).to.deep.equal({ healthy: false, reasons: [{ stack: "prod-us-east-1", kind: "monitoring", subject: "health monitor", detail }] });
  });

  it("gives a silent monitor the bake time plus a margin when the bake is the longer", async () => {
    const longBake = { ...wave, bakeMinutes: 24 * 60 };
    const monitor = silentMonitor();
    const started = world.clock.now();

    await bake(longBake, targets, { ...world.ports(), health: monitor });

    expect(monitor.stoppedAt! - started).to.equal(24 * 60 * MINUTE + MONITOR_DEADLINE_MARGIN_MS);
  });
});
