import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { expect } from "chai";

const ROOT = path.resolve(__dirname, "../..");

/**
 * `npx dcp` is how README, the pre-commit hook and CI run dcp. When the package at the root
 * declares the bin, npx (libnpmexec) installs the whole repository into its own cache and
 * loads the tree of every dependency on every call: 0.8–1 s of CPU before dcp starts. The bin
 * lives in the `cli` workspace instead, which npm links as node_modules/.bin/dcp, and npx runs
 * a linked bin directly.
 */
describe("npx dcp", () => {
  let npmCache: string;
  beforeEach(() => (npmCache = mkdtempSync(path.join(tmpdir(), "dcp-npm-cache-"))));
  afterEach(() => rmSync(npmCache, { recursive: true, force: true }));

  const npx = (cwd: string) =>
    spawnSync("npx", ["--no-install", "dcp", "--help"], {
      cwd,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1", npm_config_cache: npmCache, npm_config_update_notifier: "false" },
      timeout: 60_000,
    });

  for (const [where, cwd] of [
    ["the repository's root", ROOT],
    ["a folder inside it", path.join(ROOT, "envs")],
  ] as const) {
    it(`runs this repository's dcp from ${where} without installing the repository into npx's cache`, () => {
      const run = npx(cwd);
      expect(run.status, run.stderr).to.equal(0);
      expect(run.stdout).to.match(/^dcp <command> \[options\]/);
      expect(existsSync(path.join(npmCache, "_npx")), "npx installed the repository into its cache").to.equal(false);
    });
  }
});
