import { spawnSync } from "node:child_process";
import * as path from "node:path";

const BIN = path.resolve(__dirname, "../../cli/bin.js");

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
    env: { ...process.env, NO_COLOR: "1", CI: "true", ...env },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
