import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { performance } from "node:perf_hooks";

const ROOT = path.resolve(__dirname, "../..");

/** Wall time of a whole process, start-up included; the best of `runs`, since a busy machine only ever adds. */
function wallMs(command: string, args: string[], runs: number): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const result = spawnSync(command, args, { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    const elapsed = performance.now() - start;
    if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
    best = Math.min(best, elapsed);
  }
  return Math.round(best);
}

/**
 * `dcp --help` and `dcp validate` as a user runs them. npx's own start-up (loading
 * npm) is measured apart: it is the same for every npm-installed command.
 */
export async function benchCliProcess(): Promise<Record<string, number>> {
  const bin = path.join(ROOT, "cli", "bin.js");
  return {
    "dcp-help-ms": wallMs(process.execPath, [bin, "--help"], 5),
    "npx-dcp-help-ms": wallMs("npx", ["--no-install", "dcp", "--help"], 3),
    "validate-with-policies-ms": wallMs("npx", ["--no-install", "dcp", "validate"], 3),
  };
}
