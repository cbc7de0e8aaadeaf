import { expect } from "chai";
import type { CheckOutcome, CheckRun } from "../../cli/verify/check-run";
import { startChecks, type RunningChecks, type ScheduledCheck } from "../../cli/verify/schedule";
import { FakeClock } from "../pipeline/fakes/clock";

const SECOND = 1_000;

/** One step of a scripted check: how long its run takes on the clock, and what it finds. */
type Step = { takesMs?: number; outcome: "passed" | "failed" } | { throws: unknown } | { aborted: true };

describe("the checks of a bake, each at its own interval", () => {
  let clock: FakeClock;
  let start: number;
  let runs: CheckRun[];
  let started: { check: string; at: number }[];
  let running: RunningChecks | undefined;
  beforeEach(() => {
    clock = new FakeClock();
    start = clock.now();
    runs = [];
    started = [];
    running = undefined;
  });
  afterEach(async () => running?.stop());

  /** A check on gamma-us-east-1 that follows `steps`, then passes instantly for good. */
  const scripted = (check: string, intervalMs: number, steps: Step[] = []): ScheduledCheck => ({
    stage: "gamma",
    wave: "gamma",
    stack: "gamma-us-east-1",
    check,
    type: check === "acceptance" ? "command" : "http",
    intervalMs,
    run: async (signal): Promise<CheckOutcome> => {
      started.push({ check, at: clock.now() - start });
      const step = steps.shift() ?? { outcome: "passed" };
      if ("throws" in step) throw step.throws;
      if ("aborted" in step) return { outcome: "aborted" };
      if (step.takesMs) {
        try {
          await clock.sleep(step.takesMs, signal);
        } catch {
          return { outcome: "aborted" };
        }
      }
      return { outcome: step.outcome, detail: `${check} ${step.outcome}`, durationMs: step.takesMs ?? 0 };
    },
  });
  const begin = (checks: ScheduledCheck[]) => {
    running = startChecks(checks, clock, (run) => runs.push(run));
    return running;
  };
  const until = async (ms: number) => clock.sleep(start + ms - clock.now());
  const startsOf = (check: string) => started.filter((s) => s.check === check).map((s) => s.at);

  it("repeats every check at its own interval, all at once, and records each run in full", async () => {
    begin([scripted("storefront-health", 30 * SECOND), scripted("acceptance", 50 * SECOND)]);
    await until(101 * SECOND);

    expect(startsOf("storefront-health")).to.deep.equal([0, 30, 60, 90].map((s) => s * SECOND));
    expect(startsOf("acceptance")).to.deep.equal([0, 50, 100].map((s) => s * SECOND));
    expect(runs[0]).to.deep.equal({
      stage: "gamma",
      wave: "gamma",
      stack: "gamma-us-east-1",
      check: "storefront-health",
      type: "http",
      outcome: "passed",
      detail: "storefront-health passed",
      startedAt: start,
      durationMs: 0,
    });
  });

  it("starts a run that outlasted its interval's successor as soon as it ends, never overlapping itself", async () => {
    begin([scripted("acceptance", 30 * SECOND, [{ takesMs: 45 * SECOND, outcome: "passed" }, { takesMs: 10 * SECOND, outcome: "passed" }])]);
    await until(80 * SECOND);

    expect(startsOf("acceptance")).to.deep.equal([0, 45, 75].map((s) => s * SECOND));
  });

  it("reports the first failed run, and runs that check no more while the others go on", async () => {
    const checks = begin([scripted("storefront-health", 10 * SECOND, [{ outcome: "passed" }, { outcome: "failed" }]), scripted("acceptance", 15 * SECOND, [{ outcome: "passed" }, { outcome: "passed" }, { outcome: "failed" }])]);
    expect(checks.failed).to.equal(undefined);

    const failure = await checks.failure;
    expect(failure).to.include({ check: "storefront-health", outcome: "failed", detail: "storefront-health failed", startedAt: start + 10 * SECOND });
    expect(checks.failed).to.equal(failure);

    await until(60 * SECOND);
    expect(startsOf("storefront-health")).to.deep.equal([0, 10 * SECOND]);
    expect(startsOf("acceptance")).to.deep.equal([0, 15 * SECOND, 30 * SECOND]);
    // The later failure of another check is recorded, but the first stays the one reported.
    expect(runs.filter((run) => run.outcome === "failed").map((run) => run.check)).to.deep.equal(["storefront-health", "acceptance"]);
    expect(checks.failed).to.equal(failure);
  });

  it("records a check that throws as failed, saying it could not run and how long it took", async () => {
    const checks = begin([scripted("acceptance", 10 * SECOND, [{ throws: new Error("spawn /bin/sh EACCES") }]), scripted("smoke", 10 * SECOND, [{ throws: "no shell" }])]);

    await checks.everyCheckRan;

    expect(runs.map((run) => [run.check, run.outcome, run.detail, run.durationMs])).to.deep.equal([
      ["acceptance", "failed", "the check could not run: spawn /bin/sh EACCES", 0],
      ["smoke", "failed", "the check could not run: no shell", 0],
    ]);
  });

  it("knows when every check has finished a first run, however long the slowest takes", async () => {
    const checks = begin([scripted("storefront-health", 10 * SECOND), scripted("acceptance", 60 * SECOND, [{ takesMs: 40 * SECOND, outcome: "passed" }])]);

    await checks.everyCheckRan;

    expect(clock.now() - start).to.equal(40 * SECOND);
    expect(runs.map((run) => run.check)).to.include.members(["storefront-health", "acceptance"]);
  });

  it("counts a check stopped before it finished a run as done, and records no run for it", async () => {
    const checks = begin([scripted("acceptance", 60 * SECOND, [{ takesMs: 40 * SECOND, outcome: "passed" }])]);
    await until(10 * SECOND);

    await checks.stop();
    await checks.everyCheckRan;

    expect(runs).to.deep.equal([]);
    expect(clock.now() - start).to.equal(10 * SECOND);
  });

  it("records no run that ended without a finding", async () => {
    const checks = begin([scripted("acceptance", 10 * SECOND, [{ aborted: true }])]);

    await checks.everyCheckRan;

    expect(runs).to.deep.equal([]);
    await until(30 * SECOND);
    expect(startsOf("acceptance")).to.deep.equal([0]);
  });

  it("stops every check between runs: none starts again", async () => {
    const checks = begin([scripted("storefront-health", 10 * SECOND), scripted("acceptance", 20 * SECOND)]);
    await until(15 * SECOND);

    await checks.stop();
    await until(60 * SECOND);

    expect(startsOf("storefront-health")).to.deep.equal([0, 10 * SECOND]);
    expect(startsOf("acceptance")).to.deep.equal([0]);
  });

  it("warns of no listener leak however many checks share the bake's signal", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const many = Array.from({ length: 12 }, (_, i) => scripted(`check-${i}`, 10 * SECOND, [{ takesMs: 5 * SECOND, outcome: "passed" }]));
      begin(many);
      await until(20 * SECOND);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings.map((warning) => warning.name)).to.not.include("MaxListenersExceededWarning");
  });
});
