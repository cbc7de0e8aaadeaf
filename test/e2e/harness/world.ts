/**
 * What every end-to-end scenario runs on, started once per run: the real Pulumi CLI and
 * our Node language host (test/e2e/engine), the local AWS (moto plus our AppConfig
 * emulator, test/e2e/aws) and the test pulumi-resource-aws plugin (test/e2e/provider).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startLocalAws, type LocalAws } from "../aws/local-aws";
import { locateEngine, type EngineDirs } from "../engine/engine";

/** Milliseconds per AWS minute in the local AWS and the test provider: rollouts and retries in seconds. */
export const MINUTE_MS = 1000;

/** Where pulumi-resource-aws lives: on PATH, an "ambient" plugin the engine prefers to downloading. */
export const PROVIDER_DIR = resolve(__dirname, "../bin");

export interface World {
  engine: EngineDirs;
  aws: LocalAws;
  /** A temporary directory for this run's scratch repositories; removed at the end. */
  scratch: string;
}

let shared: Promise<World> | undefined;

export function world(): Promise<World> {
  shared ??= start();
  return shared;
}

async function start(): Promise<World> {
  const engine = await locateEngine();
  const aws = await startLocalAws({ minuteMs: MINUTE_MS });
  const scratch = mkdtempSync(join(tmpdir(), "dcp-e2e-"));
  process.stdout.write(`${banner(engine, aws)}\n`);
  return { engine, aws, scratch };
}

/** The one line that says what this run's results were measured on. */
export function banner(engine: EngineDirs, aws: LocalAws): string {
  return (
    `engine: pulumi ${engine.pulumiVersion} (${join(engine.pulumiDir, "pulumi")}), ` +
    `language host ${engine.languageHostVersion}, moto ${aws.motoVersion}, appconfig emulator`
  );
}

export async function stopWorld(): Promise<void> {
  if (!shared) return;
  const running = await shared.catch(() => undefined);
  shared = undefined;
  if (!running) return;
  await running.aws.stop();
  if (!process.env["DCP_E2E_KEEP"]) rmSync(running.scratch, { recursive: true, force: true });
}
