import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

const BIN = path.resolve(__dirname, "../../cli/bin.js");
/** validate's report cache of this test run: never the user's own, and gone when the run ends. */
let cacheDir: string | undefined;
function testCacheDir(): string {
  if (cacheDir === undefined) {
    const dir = (cacheDir = mkdtempSync(path.join(tmpdir(), "dcp-test-cache-")));
    process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  }
  return cacheDir;
}

export interface DcpRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Run the dcp executable as a user would, in `cwd`, with no terminal and no colour. */
export function runDcp(args: string[], cwd = path.resolve(__dirname, "../.."), env: NodeJS.ProcessEnv = {}): DcpRun {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", CI: "true", DCP_CACHE_DIR: testCacheDir(), ...env },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
