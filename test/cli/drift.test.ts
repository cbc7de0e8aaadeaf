import { expect } from "chai";
import { MINIMUM_PULUMI_VERSION } from "../../cli/engine/pulumi-version";
import * as path from "node:path";
import { ExitCode } from "../../cli/errors";
import { runDcp } from "../support/run-dcp";

describe("dcp drift on the command line", () => {
  it("explains itself in --help, with examples", () => {
    const run = runDcp(["drift", "--help"]);
    expect(run.status).to.equal(ExitCode.ok);
    expect(run.stdout).to.include("dcp drift [stage]").and.include("--region").and.include("Examples:");
  });

  it("fails at once, naming what to install, when pulumi is not on PATH", () => {
    const run = runDcp(["drift", "prod"], undefined, { PATH: path.dirname(process.execPath) });
    expect(run.status).to.equal(ExitCode.usage);
    expect(run.stderr).to.include(`Install the Pulumi CLI ${MINIMUM_PULUMI_VERSION} or newer`).and.not.match(/\n\s+at /);
  });
});
