import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";

const ROOT = path.resolve(__dirname, "../..");

interface Run {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** The exit code the run must end with: a refusal is measured too. */
  status?: number;
}

/** Wall time of a whole process, start-up included; the best of `runs`, since a busy machine only ever adds. */
function wallMs(run: Run, runs: number): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const result = spawnSync(run.command, run.args, { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ...run.env } });
    const elapsed = performance.now() - start;
    if (result.status !== (run.status ?? 0)) throw new Error(`${run.command} ${run.args.join(" ")} exited ${result.status}: ${result.stderr}`);
    best = Math.min(best, elapsed);
  }
  return best;
}

/**
 * dcp's start-up as a user meets it, as ratios to Node's own start-up measured in the same
 * run (so a busy machine slows both): `dcp --help`, and the refusal of an engine-backed
 * command on a machine without pulumi, which must stop before loading envs/ or the SDK.
 * npx's own start-up (loading npm) is measured apart: the same for every npm-installed command.
 * validate is measured whole, through npx, cold (an empty report cache each run: the first
 * validate after an edit, which is what a pre-commit hook mostly meets), and apart from that
 * with its report cache warm.
 */
export async function benchCliProcess(): Promise<Record<string, number>> {
  const bin = path.join(ROOT, "cli", "bin.js");
  const node = process.execPath;
  const nodeMs = wallMs({ command: node, args: ["-e", "0"] }, 9);
  const helpMs = wallMs({ command: node, args: [bin, "--help"] }, 9);
  const refusalMs = wallMs({ command: node, args: [bin, "release", "--to", "gamma"], env: { PATH: path.dirname(node) }, status: 1 }, 9);
  return {
    "node-start-ms": Math.round(nodeMs),
    "dcp-help-ms": Math.round(helpMs),
    "dcp-help-ratio": Number((helpMs / nodeMs).toFixed(2)),
    "dcp-refusal-ratio": Number((refusalMs / nodeMs).toFixed(2)),
    "npx-dcp-help-ms": Math.round(wallMs({ command: "npx", args: ["--no-install", "dcp", "--help"] }, 3)),
    ...benchValidateProcess(),
  };
}

function benchValidateProcess(): Record<string, number> {
  const validate: Run = { command: "npx", args: ["--no-install", "dcp", "validate"] };
  const cacheDirs: string[] = [];
  const emptyCache = () => {
    cacheDirs.push(mkdtempSync(path.join(tmpdir(), "dcp-bench-cache-")));
    return { DCP_CACHE_DIR: cacheDirs.at(-1) };
  };
  try {
    const warm = emptyCache();
    wallMs({ ...validate, env: warm }, 1);
    return {
      "validate-with-policies-ms": Math.round(Math.min(...[0, 1, 2].map(() => wallMs({ ...validate, env: emptyCache() }, 1)))),
      "validate-warm-ms": Math.round(wallMs({ ...validate, env: warm }, 3)),
    };
  } finally {
    for (const dir of cacheDirs) rmSync(dir, { recursive: true, force: true });
  }
}
