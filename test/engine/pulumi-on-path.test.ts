import { expect } from "chai";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { findPulumiOnPath, requirePulumiOnPath } from "../../cli/engine/pulumi-on-path";
import { UsageError } from "../../cli/errors";

describe("the quick check for a `pulumi` on PATH", () => {
  let root: string;
  const dir = (name: string) => {
    const path = join(root, name);
    mkdirSync(path, { recursive: true });
    return path;
  };

  beforeEach(() => (root = mkdtempSync(join(tmpdir(), "dcp-on-path-"))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("finds the first executable `pulumi`, passing over empty entries, directories of that name and files that cannot run", () => {
    const asDirectory = dir("a");
    mkdirSync(join(asDirectory, "pulumi"));
    const notExecutable = dir("b");
    writeFileSync(join(notExecutable, "pulumi"), "");
    chmodSync(join(notExecutable, "pulumi"), 0o644);
    const first = dir("c");
    writeFileSync(join(first, "pulumi"), "#!/bin/sh\n");
    chmodSync(join(first, "pulumi"), 0o755);
    const second = dir("d");
    writeFileSync(join(second, "pulumi"), "#!/bin/sh\n");
    chmodSync(join(second, "pulumi"), 0o755);
    expect(findPulumiOnPath(["", join(root, "missing"), asDirectory, notExecutable, first, second].join(delimiter))).to.equal(join(first, "pulumi"));
  });

  it("never takes an empty entry for the working directory, as a shell would", () => {
    const cwd = process.cwd();
    const here = dir("here");
    writeFileSync(join(here, "pulumi"), "#!/bin/sh\n");
    chmodSync(join(here, "pulumi"), 0o755);
    process.chdir(here);
    try {
      expect(findPulumiOnPath(["", dir("elsewhere")].join(delimiter))).to.equal(undefined);
    } finally {
      process.chdir(cwd);
    }
  });

  it("finds nothing on a PATH without one", () => {
    expect(findPulumiOnPath([dir("a"), ""].join(delimiter))).to.equal(undefined);
  });

  it("refuses, naming what to install, when PATH has none", () => {
    const saved = process.env.PATH;
    process.env.PATH = dir("empty");
    try {
      expect(() => requirePulumiOnPath()).to.throw(
        UsageError,
        "`pulumi` is not on PATH; preview, release, rollback, status, history and drift need the Pulumi CLI. " +
          "Install the Pulumi CLI 3.131.0 or newer (https://www.pulumi.com/docs/install/) and make sure `pulumi` is on PATH.",
      );
      const bin = dir("bin");
      writeFileSync(join(bin, "pulumi"), "#!/bin/sh\n");
      chmodSync(join(bin, "pulumi"), 0o755);
      process.env.PATH = bin;
      expect(() => requirePulumiOnPath()).not.to.throw();
    } finally {
      process.env.PATH = saved;
    }
  });
});
