import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

export const SAMPLE_ENVS = path.resolve(__dirname, "../../envs");

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
