import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { loadEnvs } from "../../cli/config/load";
import type { Envs } from "../../cli/config/model";

export const SAMPLE_ENVS = path.resolve(__dirname, "../../envs");
/** The day the tests read the sample as of, where a flag's expiry matters. */
export const SAMPLE_TODAY = "2026-11-24";

/** envs/ at `dir` as dcp's own loader reads it; throws, naming the diagnostics, when it does not load. */
export async function loadedEnvs(dir: string, today?: string): Promise<Envs> {
  const { envs, diagnostics } = await loadEnvs(dir, today !== undefined ? { today } : {});
  if (envs === undefined) throw new Error(`${dir} does not load:\n${JSON.stringify(diagnostics, null, 2)}`);
  return envs;
}

const samples = new Map<string, Promise<Envs>>();

/** The repository's envs/, loaded once per day it is read as of (default: today's date); the tests share it, so never change it in place. */
export function sampleEnvsOf(today?: string): Promise<Envs> {
  const key = today ?? "";
  let sample = samples.get(key);
  if (sample === undefined) {
    sample = loadedEnvs(SAMPLE_ENVS, today);
    samples.set(key, sample);
  }
  return sample;
}

/** A scratch copy of the sample envs/ that a test may break as it likes. */
export class EnvsCopy {
  readonly root = mkdtempSync(path.join(tmpdir(), "dcp-envs-"));
  readonly dir = path.join(this.root, "envs");

  constructor() {
    cpSync(SAMPLE_ENVS, this.dir, { recursive: true });
  }

  read(file: string): string {
    return readFileSync(path.join(this.dir, file), "utf8");
  }

  write(file: string, text: string): this {
    writeFileSync(path.join(this.dir, file), text);
    return this;
  }

  /** Replace the first occurrence of `from` in `file` (failing loudly when it is absent, so a test cannot pass vacuously). */
  replace(file: string, from: string | RegExp, to: string): this {
    const text = this.read(file);
    if (typeof from === "string" ? !text.includes(from) : !from.test(text)) throw new Error(`${file} does not contain ${String(from)}`);
    return this.write(file, text.replace(from, to));
  }

  /** 1-based line number of the first line containing `needle`. */
  lineOf(file: string, needle: string): number {
    const index = this.read(file).split("\n").findIndex((l) => l.includes(needle));
    if (index < 0) throw new Error(`${file} has no line containing ${needle}`);
    return index + 1;
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/**
 * The sample with one flag attribute AppConfig refuses and nothing else wrong: fraud-score-shadow's
 * sampleRate bounded by `maximum: 0.5` (AppConfig takes integer bounds only), beta's value brought within it.
 */
export function withFractionalBound(envs: EnvsCopy): EnvsCopy {
  return envs.replace("pipeline.yaml", /(sampleRate:\n(?:.*\n)*?\s+maximum:) 1\n/, "$1 0.5\n").replace("beta.yaml", "sampleRate: 1 }", "sampleRate: 0.5 }");
}
