import { expect } from "chai";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { forgetPulumiCli, minimumPulumiVersion, requirePulumiCli } from "../../cli/engine/pulumi-cli";
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

/** A `pulumi` that only answers `pulumi version`. */
function fakePulumi(dir: string, version: string): void {
  const pulumi = join(dir, "pulumi");
  writeFileSync(pulumi, `#!/bin/sh\necho ${version}\n`);
  chmodSync(pulumi, 0o755);
}

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

  it("fails the same way when the CLI on PATH is too old", async () => {
    fakePulumi(dir, "v3.1.0");
    const failure = await withPath(dir, () => requirePulumiCli().catch((error: unknown) => error));
    expect(failure).to.be.instanceOf(UsageError);
    expect((failure as Error).message).to.contain("(3.1.0) is too old");
    expect((failure as Error).message).to.contain("https://www.pulumi.com/docs/install/");
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
