import { expect } from "chai";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { forgetPulumiCli, minimumPulumiVersion, requirePulumiCli } from "../../cli/engine/pulumi-cli";
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

describe("the Pulumi CLI check", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "dcp-path-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("knows the minimum CLI version from the SDK", async () => {
    expect(await minimumPulumiVersion()).to.match(/^3\.\d+\.\d+$/);
  });

  it("fails with exit 1 and names what to install and the minimum version when pulumi is not on PATH", async () => {
    const failure = await withPath(dir, () => requirePulumiCli().catch((error: unknown) => error));
    expect(failure).to.be.instanceOf(UsageError);
    expect((failure as UsageError).exitCode).to.equal(ExitCode.usage);
    const message = (failure as Error).message;
    expect(message).to.contain("`pulumi` is not on PATH");
    expect(message).to.contain("https://www.pulumi.com/docs/install/");
    expect(message).to.contain(`${await minimumPulumiVersion()} or newer`);
    expect(message).not.to.match(/ENOENT|spawn|stderr:/);
  });

  it("fails the same way when the CLI on PATH is too old", async () => {
    const pulumi = join(dir, "pulumi");
    writeFileSync(pulumi, "#!/bin/sh\necho v3.1.0\n");
    chmodSync(pulumi, 0o755);
    const failure = await withPath(dir, () => requirePulumiCli().catch((error: unknown) => error));
    expect(failure).to.be.instanceOf(UsageError);
    expect((failure as Error).message).to.contain("(3.1.0) is too old");
    expect((failure as Error).message).to.contain("https://www.pulumi.com/docs/install/");
  });

  it("accepts a CLI recent enough", async () => {
    const pulumi = join(dir, "pulumi");
    writeFileSync(pulumi, "#!/bin/sh\necho v3.248.0\n");
    chmodSync(pulumi, 0o755);
    const command = await withPath(dir, () => requirePulumiCli());
    expect(command.version?.version).to.equal("3.248.0");
  });
});
