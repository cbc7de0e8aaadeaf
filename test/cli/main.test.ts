import { expect } from "chai";
import { MINIMUM_PULUMI_VERSION } from "../../cli/engine/pulumi-version";
import * as path from "node:path";
import { runDcp } from "../support/run-dcp";

describe("the dcp command line", function () {
  // Each test starts a dcp process; a busy machine can take seconds to start one.
  this.timeout(60_000);

  it("lists the commands with examples in --help", () => {
    const run = runDcp(["--help"]);
    expect(run.status).to.equal(0);
    expect(run.stdout).to.include("dcp validate").and.include("dcp plan").and.include("Examples:");
  });

  for (const command of [["validate"], ["plan"], ["hooks", "install"], ["release"], ["rollback"], ["status"], ["history"], ["preview"], ["flags"]]) {
    it(`shows examples in \`dcp ${command.join(" ")} --help\``, () => {
      const run = runDcp([...command, "--help"]);
      expect(run.status).to.equal(0);
      expect(run.stdout).to.include("Examples:");
    });
  }

  it("rejects an unknown command with exit 1 and a one-line message", () => {
    const run = runDcp(["deploy"]);
    expect(run.status).to.equal(1);
    expect(run.stderr.trim().split("\n")).to.have.length(1);
    expect(run.stderr).to.include("unknown command");
  });

  it("rejects an unknown option with exit 1", () => {
    const run = runDcp(["validate", "--fast"]);
    expect(run.status).to.equal(1);
    expect(run.stderr).to.include("Unknown argument: fast");
  });

  for (const command of [["release", "--to", "gamma"], ["rollback", "prod"], ["status"], ["history", "prod"], ["preview", "--stage", "beta"], ["flags"]]) {
    it(`fails \`dcp ${command.join(" ")}\` at once, naming what to install, when pulumi is not on PATH`, () => {
      const run = runDcp(command, undefined, { PATH: path.dirname(process.execPath) });
      expect(run.status).to.equal(1);
      expect(run.stderr).to.include(`Install the Pulumi CLI ${MINIMUM_PULUMI_VERSION} or newer`).and.not.match(/\n\s+at /);
    });
  }

  it("names what is missing in dcp's words, with the command's usage", () => {
    const rollback = runDcp(["rollback"]);
    expect(rollback.status).to.equal(1);
    expect(rollback.stderr.trim()).to.equal("dcp: name the stage: dcp rollback <stage> (see dcp rollback --help)");
    const plan = runDcp(["plan"]);
    expect(plan.stderr.trim()).to.equal("dcp: --to is required: dcp plan --to <stage> [--stage S] [--region R] (see dcp plan --help)");
    expect(runDcp([]).stderr.trim()).to.equal("dcp: name a command; `dcp --help` lists them");
  });

  it("calls an option its own check refuses a usage mistake (exit 1, one line), never an unexpected error", () => {
    for (const [args, reason] of [
      [["release", "--to", "beta", "--skip-soak", "--reason", ""], "--reason must say why the soak is skipped"],
      [["rollback", "beta", "--break-lease", " "], "--break-lease must say why the lease is broken"],
      [["flags", "--stale-days", "-1"], "--stale-days must be a whole number of days, 0 or more"],
    ] as const) {
      const run = runDcp([...args]);
      expect(run.status, args.join(" ")).to.equal(1);
      expect(run.stderr.trim()).to.match(new RegExp(`^dcp: ${reason.replace(/[-]/g, "\\$&")} \\(see dcp (release|rollback|flags) --help\\)$`));
    }
  });

  it("shows the required options in a command's usage line", () => {
    expect(runDcp(["plan", "--help"]).stdout.split("\n")[0]).to.equal("dcp plan --to <stage> [--stage S] [--region R]");
  });

  it("prints its version", () => {
    const run = runDcp(["--version"]);
    expect(run.stdout.trim()).to.match(/^\d+\.\d+\.\d+$/);
  });
});
