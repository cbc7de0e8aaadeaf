import { expect } from "chai";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { explain, forgetPulumiCli, minimumPulumiVersion, requirePulumiCli } from "../../cli/engine/pulumi-cli";
import { CLI_FEATURES, compareVersions } from "../../cli/engine/pulumi-version";
import { ExitCode, UsageError } from "../../cli/errors";

/** Runs `probe` with PATH holding only `dir`, so the test does not depend on this machine's pulumi. */
async function withPath<T>(dir: string, probe: () => Promise<T>): Promise<T> {
  const saved = process.env.PATH;
  process.env.PATH = dir;
  forgetPulumiCli();
  try {
    return await probe();
  } finally {
    process.env.PATH = saved;
    forgetPulumiCli();
  }
}

/** A `pulumi` that only answers `pulumi version` (by default with `echo <version>`), counting the calls in `calls`. */
function fakePulumi(dir: string, version: string, answer = `echo ${version}`): void {
  const pulumi = join(dir, "pulumi");
  writeFileSync(pulumi, `#!/bin/sh\necho "$@" >> '${join(dir, "calls")}'\n${answer}\n`);
  chmodSync(pulumi, 0o755);
}

const INSTALL = "Install the Pulumi CLI 3.131.0 or newer (https://www.pulumi.com/docs/install/) and make sure `pulumi` is on PATH.";

describe("the Pulumi CLI check", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "dcp-path-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("asks for the newest CLI release among the features dcp uses", () => {
    const newest = CLI_FEATURES.map((entry) => entry.version).sort(compareVersions).at(-1);
    expect(minimumPulumiVersion()).to.equal(newest);
  });

  it("fails with exit 1 and names what to install and the minimum version when pulumi is not on PATH", async () => {
    const failure = await withPath(dir, () => requirePulumiCli().catch((error: unknown) => error));
    expect(failure).to.be.instanceOf(UsageError);
    expect((failure as UsageError).exitCode).to.equal(ExitCode.usage);
    const message = (failure as Error).message;
    expect(message).to.contain("`pulumi` is not on PATH");
    expect(message).to.contain("https://www.pulumi.com/docs/install/");
    expect(message).to.contain(`${minimumPulumiVersion()} or newer`);
    expect(message).not.to.match(/ENOENT|spawn|stderr:/);
  });

  it("fails the same way when the CLI on PATH is too old even for the SDK, naming everything it lacks", async () => {
    fakePulumi(dir, "v3.1.0");
    const failure = await withPath(dir, () => requirePulumiCli().catch((error: unknown) => error));
    expect(failure).to.be.instanceOf(UsageError);
    expect((failure as Error).message).to.equal(
      "the Pulumi CLI on PATH (3.1.0) is too old for dcp: dcp needs " +
        "`pulumi refresh --preview-only`, which `dcp drift` runs (3.105.0); " +
        "refresh diffs against the desired state, from which `dcp drift` names changed properties (3.120.0); " +
        "every engine event in the event log, where dcp reads policy violations and errors (3.131.0). " +
        INSTALL,
    );
  });

  it("reads the version of a CLI that prints it without a v", async () => {
    fakePulumi(dir, "3.1.0");
    const failure = await withPath(dir, () => requirePulumiCli().catch((error: unknown) => error));
    expect((failure as Error).message).to.match(/^the Pulumi CLI on PATH \(3\.1\.0\) is too old for dcp: dcp needs /);
  });

  it("refuses a CLI of a newer major version than the SDK supports, quoting the SDK", async () => {
    fakePulumi(dir, "v4.0.0");
    const failure = await withPath(dir, () => requirePulumiCli().catch((error: unknown) => error));
    expect(failure).to.be.instanceOf(UsageError);
    expect((failure as Error).message).to.equal(
      "the Pulumi CLI on PATH is a newer major version than dcp's Automation API supports: " +
        "Major version mismatch. You are using Pulumi CLI version v4.0.0 with Automation SDK v3. Please update the SDK.",
    );
  });

  it("says the CLI could not be run, and why, when `pulumi version` fails", async () => {
    fakePulumi(dir, "", "echo boom >&2; exit 1");
    const failure = await withPath(dir, () => requirePulumiCli().catch((error: unknown) => error));
    expect(failure).to.be.instanceOf(UsageError);
    expect((failure as Error).message).to.equal(`the Pulumi CLI on PATH could not be run (Command failed with exit code 1: pulumi version). ${INSTALL}`);
  });

  it("accepts a CLI whose version cannot be read when the user opted out of the SDK's version check", async () => {
    fakePulumi(dir, "a development build");
    const saved = process.env.PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK;
    process.env.PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK = "true";
    try {
      const command = await withPath(dir, () => requirePulumiCli());
      expect(command.version).to.equal(null);
    } finally {
      if (saved === undefined) delete process.env.PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK;
      else process.env.PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK = saved;
    }
  });

  it("probes the CLI once, and again after a failed probe", async () => {
    const command = await withPath(dir, async () => {
      await requirePulumiCli().catch(() => undefined);
      fakePulumi(dir, "v3.248.0");
      const found = await requirePulumiCli();
      expect(await requirePulumiCli()).to.equal(found);
      return found;
    });
    expect(command.version?.version).to.equal("3.248.0");
    expect(readFileSync(join(dir, "calls"), "utf8")).to.equal("version\n");
  });

  it("explains a version failure it cannot read the version from, and whatever else it is handed", () => {
    expect(explain(new Error("Minimum version requirement failed.")).message).to.equal(`the Pulumi CLI on PATH (unknown version) is too old for dcp. ${INSTALL}`);
    expect(explain("spawn pulumi ENOENT").message).to.match(/^`pulumi` is not on PATH/);
    expect(explain(new Error("   \n  the CLI crashed  \nstack trace")).message).to.equal(`the Pulumi CLI on PATH could not be run (the CLI crashed). ${INSTALL}`);
    expect(explain(new Error(" \n ")).message).to.equal(`the Pulumi CLI on PATH could not be run ( \n ). ${INSTALL}`);
  });

  it("refuses a CLI the SDK accepts but that lacks what drift and the event log need, naming the version and why", async () => {
    fakePulumi(dir, "v3.110.0");
    const failure = await withPath(dir, () => requirePulumiCli().catch((error: unknown) => error));
    expect(failure).to.be.instanceOf(UsageError);
    const message = (failure as Error).message;
    expect(message).to.contain("(3.110.0) is too old");
    expect(message).to.contain(`${minimumPulumiVersion()} or newer`);
    expect(message).to.match(/refresh diffs against the desired state.*\(3\.120\.0\)/);
    expect(message).not.to.contain("--preview-only");
  });

  it("accepts a CLI recent enough", async () => {
    fakePulumi(dir, "v3.248.0");
    const command = await withPath(dir, () => requirePulumiCli());
    expect(command.version?.version).to.equal("3.248.0");
  });
});
