import { expect } from "chai";
import { PassThrough } from "node:stream";
import type { Ora } from "ora";
import { release } from "../../cli/pipeline/release";
import { JsonLinesReporter } from "../../cli/ui/json-reporter";
import { TerminalReporter } from "../../cli/ui/terminal-reporter";
import { failureOf, releaseOptions, sampleEnvs, World } from "../pipeline/fakes/world";

function capture(): { stream: NodeJS.WriteStream; text: () => string } {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (chunk: Buffer) => (text += chunk.toString()));
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
}

/** Spinner lines are drawn and cleared; only what stays on screen is asserted. */
function stillSpinner(): Ora {
  const spinner = { isSpinning: false, text: "", start: () => ((spinner.isSpinning = true), spinner), stop: () => ((spinner.isSpinning = false), spinner), clear: () => spinner, render: () => spinner };
  return spinner as unknown as Ora;
}

describe("pipeline reporters", () => {
  it("--json prints one JSON event per line, ending with the exit code", async () => {
    const envs = await sampleEnvs();
    const world = new World(envs);
    world.seedPreviousRelease();
    world.health.fireAlarm("beta-us-west-2", "checkout-5xx");
    const out = capture();

    await failureOf(release(envs, releaseOptions({ to: "beta" }), { ...world.ports(), reporter: new JsonLinesReporter(out.stream) }));

    const events = out.text().trimEnd().split("\n").map((line) => JSON.parse(line) as { type: string; exitCode?: number; time: string });
    expect(events.map((e) => e.type)).to.include.members(["wave-started", "preview-done", "stack-updated", "bake-started", "unhealthy", "rolled-back"]);
    expect(events.at(-1)).to.include({ type: "finished", exitCode: 4 });
    expect(events.every((e) => typeof e.time === "string")).to.equal(true);
  });

  it("the terminal reporter shows a stage's value diff indented, each change once with the stacks making it", () => {
    const out = capture();
    new TerminalReporter(stillSpinner(), out.stream).emit({
      type: "values-diff",
      diff: { stage: "gamma", changes: [{ path: "flags.apple-pay.enabled", from: false, to: true, regions: ["us-east-1", "eu-west-1"] }], neverReleased: [], unchanged: [] },
    });
    expect(out.text()).to.include("  gamma-us-east-1, gamma-eu-west-1:\n    flags.apple-pay.enabled  false → true");
  });

  it("the terminal reporter ends with a table of every stack's result", async () => {
    const envs = await sampleEnvs();
    const world = new World(envs);
    world.seedPreviousRelease();
    const out = capture();

    await release(envs, releaseOptions({ to: "gamma" }), { ...world.ports(), reporter: new TerminalReporter(stillSpinner(), out.stream) });

    const text = out.text();
    expect(text).to.match(/stack\s+result\s+release/);
    for (const stack of world.stacks("gamma")) expect(text).to.match(new RegExp(`${stack.name}\\s+updated\\s+${stack.releaseId}`));
    expect(text.trimEnd().endsWith("done")).to.equal(true);
  });

  it("the terminal reporter says whose lease a rollback took over and whose a run broke, and why", () => {
    const out = capture();
    const reporter = new TerminalReporter(stillSpinner(), out.stream);
    const at = "2026-03-02T09:00:00.000Z";
    const previous = { id: "a", stage: "prod", purpose: "release" as const, holder: { who: "runner@ci-7", pid: 77, command: "release --to prod --approve" }, since: at, renewedAt: at };
    const mine = { ...previous, id: "b", purpose: "rollback" as const, holder: { who: "oncall@desk", pid: 911, command: "rollback prod" } };

    reporter.emit({ type: "lease-taken", stage: "prod", lease: { ...mine, replaced: { how: "taken-over", previous } } });
    reporter.emit({ type: "lease-handover", stage: "prod", previous, state: "waiting" });
    reporter.emit({ type: "lease-taken", stage: "prod", lease: { ...mine, replaced: { how: "broken", reason: "runner killed", previous } } });

    const lines = out.text().trimEnd().split("\n");
    expect(lines[0]).to.include("took over prod from `dcp release --to prod --approve` run by runner@ci-7 (pid 77), held since 2026-03-02T09:00:00.000Z");
    expect(lines[1]).to.include("waiting for `dcp release --to prod --approve` run by runner@ci-7 (pid 77) to stop");
    expect(lines[2]).to.include('broke the lease of prod of `dcp release --to prod --approve` run by runner@ci-7 (pid 77), held since 2026-03-02T09:00:00.000Z: "runner killed"');
  });

  describe("redact secrets", () => {
    const token = "ghp" + "_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
    const unhealthy = { type: "unhealthy", stage: "gamma", wave: "gamma", reasons: [{ stack: "gamma-us-east-1", kind: "check", subject: "acceptance", detail: `exit 1 after 0.3 s: login failed with ${token}` }] } as const;
    let saved: string | undefined;
    beforeEach(() => {
      saved = process.env.PULUMI_CONFIG_PASSPHRASE;
      process.env.PULUMI_CONFIG_PASSPHRASE = "correct horse battery";
    });
    afterEach(() => (saved === undefined ? delete process.env.PULUMI_CONFIG_PASSPHRASE : (process.env.PULUMI_CONFIG_PASSPHRASE = saved)));

    it("from the --json lines: a token a check printed, and the passphrase's value in an engine message", () => {
      const out = capture();
      const reporter = new JsonLinesReporter(out.stream);
      reporter.emit({ ...unhealthy, reasons: [...unhealthy.reasons] });
      reporter.emit({ type: "stack-failed", stack: "gamma-us-east-1", message: "passphrase correct horse battery is incorrect" });
      expect(out.text()).to.not.include(token).and.not.include("correct horse battery");
      expect(out.text()).to.include("login failed with [redacted]").and.include("passphrase [redacted] is incorrect");
    });

    it("from the terminal", () => {
      const out = capture();
      const reporter = new TerminalReporter(stillSpinner(), out.stream);
      reporter.emit({ ...unhealthy, reasons: [...unhealthy.reasons] });
      reporter.emit({ type: "stack-failed", stack: "gamma-us-east-1", message: "passphrase correct horse battery is incorrect" });
      reporter.emit({ type: "finished", exitCode: 4 });
      expect(out.text()).to.not.include(token).and.not.include("correct horse battery");
      expect(out.text()).to.include("login failed with [redacted]");
    });
  });
});

