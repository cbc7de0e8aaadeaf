/**
 * `--policy-pack-config` takes a file path, while dcp generates each stage's policy
 * config from envs/. One file per distinct config, in a directory that lives as long
 * as the process.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PolicyPackConfig } from "../pipeline/ports";

/** One directory per process, however many engines are created. */
let directory: string | undefined;

export class PolicyConfigFiles {
  /** The path of a JSON file holding `config`; the same config gets the same file. */
  pathFor(config: PolicyPackConfig): string {
    const json = JSON.stringify(config, null, 2);
    const digest = createHash("sha256").update(json).digest("hex").slice(0, 16);
    const file = join(sharedDirectory(), `policy-config-${digest}.json`);
    // Written again for each use: the name is the content's hash, so the content is the same.
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- dcp's own temporary directory, the name a content hash
    writeFileSync(file, json);
    return file;
  }
}

function sharedDirectory(): string {
  if (directory === undefined) {
    const dir = mkdtempSync(join(tmpdir(), "dcp-policy-"));
    directory = dir;
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  }
  return directory;
}
