import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { runDcp } from "../support/run-dcp";

describe("dcp hooks install", () => {
  let repo: string;
  const hook = () => path.join(repo, ".git", "hooks", "pre-commit");
  beforeEach(() => {
    repo = mkdtempSync(path.join(tmpdir(), "dcp-hooks-"));
    execFileSync("git", ["init", "-q"], { cwd: repo });
  });
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  it("writes an executable pre-commit hook that runs dcp validate", () => {
    const run = runDcp(["hooks", "install"], repo);
    expect(run.status, run.stderr).to.equal(0);
    expect(readFileSync(hook(), "utf8")).to.include("dcp validate --envs envs");
    expect(statSync(hook()).mode & 0o111).to.not.equal(0);
  });

  it("re-installs over its own hook", () => {
    runDcp(["hooks", "install"], repo);
    expect(runDcp(["hooks", "install"], repo).status).to.equal(0);
  });

  it("refuses to overwrite a foreign hook without --force, and keeps it", () => {
    writeFileSync(hook(), "#!/bin/sh\nmake lint\n");
    const run = runDcp(["hooks", "install"], repo);
    expect(run.status).to.equal(1);
    expect(run.stderr).to.include("--force");
    expect(readFileSync(hook(), "utf8")).to.equal("#!/bin/sh\nmake lint\n");
  });

  it("replaces a foreign hook with --force", () => {
    writeFileSync(hook(), "#!/bin/sh\nmake lint\n");
    expect(runDcp(["hooks", "install", "--force"], repo).status).to.equal(0);
    expect(readFileSync(hook(), "utf8")).to.include("dcp validate");
  });

  it("refuses outside a git repository", () => {
    const plain = mkdtempSync(path.join(tmpdir(), "dcp-nogit-"));
    try {
      const run = runDcp(["hooks", "install"], plain);
      expect(run.status).to.equal(1);
      expect(run.stderr).to.include("not inside a git repository");
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });
});
