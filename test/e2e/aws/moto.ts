// moto (https://github.com/getmoto/moto) in server mode: CloudWatch, IAM, STS, SNS for the
// end-to-end tests. Its virtualenv lives in a per-user cache outside the repo so that a
// checkout stays small and the ~90 s install is paid once per machine.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { homedir } from "node:os";
import { join } from "node:path";

export const MOTO_VERSION = "5.2.5";

// moto only pins a botocore floor. CloudWatch moved to the JSON (and CBOR) protocols in
// early 2025 and AWS SDK v3 clients speak JSON to it, so a botocore whose model lists the
// json protocol is needed for moto to parse them; 1.44.8 is the version checked to work
// with DescribeAlarms from @aws-sdk/client-cloudwatch.
const REQUIREMENTS = [`moto[server]==${MOTO_VERSION}`, "boto3==1.44.8", "botocore==1.44.8"];

export interface Moto {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export function cacheRoot(): string {
  const base = process.env.DCP_E2E_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "dcp-e2e");
  return base;
}

function python(venv: string): string {
  return join(venv, "bin", "python");
}

// Builds into a temporary directory and renames it into place, so a half-built venv (a
// killed install) is never taken for a ready one. The venv's own python is always run as
// `python -m …`, which does not depend on the absolute paths pip wrote into bin/ scripts.
export function ensureMotoVenv(): string {
  const venv = join(cacheRoot(), `moto-${MOTO_VERSION}`);
  if (existsSync(python(venv))) return venv;
  mkdirSync(cacheRoot(), { recursive: true });
  const building = `${venv}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  run(process.env.DCP_E2E_PYTHON ?? "python3", ["-m", "venv", building]);
  run(python(building), ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", ...REQUIREMENTS]);
  if (existsSync(python(venv))) {
    rmSync(building, { recursive: true, force: true }); // another process won the race
  } else {
    renameSync(building, venv);
  }
  return venv;
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { stdio: ["ignore", "inherit", "inherit"] });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed (${result.error?.message ?? `exit ${result.status}`})`);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startMoto(): Promise<Moto> {
  const venv = ensureMotoVenv();
  const port = await freePort();
  // Own process group, so stop() can take werkzeug's reloader/children down with it.
  const child = spawn(python(venv), ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)], {
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const killOnExit = (): void => killGroup(child, "SIGKILL");
  process.once("exit", killOnExit);
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitReady(endpoint, child, () => stderr);
  } catch (error) {
    killGroup(child, "SIGKILL");
    throw error;
  }
  return {
    endpoint,
    stop: async () => {
      process.removeListener("exit", killOnExit);
      await stopGroup(child);
    },
  };
}

async function waitReady(endpoint: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}: ${stderr()}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within 60 s: ${stderr()}`);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  killGroup(child, "SIGTERM");
  const timer = setTimeout(() => killGroup(child, "SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}
