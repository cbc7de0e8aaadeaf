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
});
