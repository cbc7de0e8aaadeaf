import { execFile } from "node:child_process";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { promisify } from "node:util";
import { UsageError } from "../errors";

/** Recognises a hook dcp wrote, so that re-installing it is safe and a foreign one is never lost. */
const MARKER = "# installed by `dcp hooks install`";

export function preCommitScript(envsDir: string): string {
  return [
    "#!/bin/sh",
    MARKER,
    "# Validates envs/ before every commit; `git commit --no-verify` skips it.",
    `exec npx --no-install dcp validate --envs ${shellQuote(envsDir)}`,
    "",
  ].join("\n");
}

export interface InstallResult {
  path: string;
  replaced: "none" | "dcp" | "foreign";
}

/** Write the git pre-commit hook of the repository containing `cwd`. */
export async function installPreCommitHook(cwd: string, options: { envsDir: string; force: boolean }): Promise<InstallResult> {
  const hooksDir = await gitHooksDir(cwd);
  const hookPath = path.join(hooksDir, "pre-commit");
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the hooks directory git reports for this repository
  const existing = await readFile(hookPath, "utf8").catch(() => undefined);
  const replaced = existing === undefined ? "none" : existing.includes(MARKER) ? "dcp" : "foreign";
  if (replaced === "foreign" && !options.force) {
    throw new UsageError(
      `${hookPath} already exists and was not written by dcp; add \`npx --no-install dcp validate\` to it yourself, or run \`dcp hooks install --force\` to replace it`,
    );
  }
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the hooks directory git reports for this repository
  await mkdir(hooksDir, { recursive: true });
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the hooks directory git reports for this repository
  await writeFile(hookPath, preCommitScript(options.envsDir));
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the hooks directory git reports for this repository
  await chmod(hookPath, 0o755);
  return { path: hookPath, replaced };
}

async function gitHooksDir(cwd: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)("git", ["rev-parse", "--git-path", "hooks"], { cwd });
    return path.resolve(cwd, stdout.trim());
  } catch {
    throw new UsageError(`${cwd} is not inside a git repository; run \`dcp hooks install\` from your configuration repository`);
  }
}

function shellQuote(text: string): string {
  return /^[\w./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
