/**
 * `dcp validate`'s report, remembered for inputs seen before. A cold validate loads the
 * Pulumi SDK and the AWS provider's classes and runs the program under mocks for every
 * stack (over a second); the report depends only on the envs/ files, the day (flag
 * expiry), the options, and dcp's compiled code with the packages it runs on — so those,
 * hashed, are the key, and a repeated validate (an editor hook, CI re-running an
 * unchanged commit) reads the report instead of recomputing it. Any change to one of them
 * is a miss. Nothing is cached when running from source, since there is no build to name.
 */
import { createHash, type Hash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import * as path from "node:path";
import type { ValidateOptions, ValidationReport } from "./validate";

/** What is kept of a report: everything the command renders (the parsed envs are not). */
export type CachedReport = Omit<ValidationReport, "envs">;

/** Entries kept; the oldest beyond this are removed on each write. */
const KEPT = 32;

/** Written by `npm run build` (scripts/write-build-id.js): a hash of everything in dist/. */
const BUILD_ID = path.join(__dirname, "..", "..", "build-id");
/** npm's record of the installed tree: a changed dependency changes it. */
const INSTALLED = path.join(__dirname, "..", "..", "..", "node_modules", ".package-lock.json");

/** `DCP_CACHE_DIR`, else the XDG cache directory. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DCP_CACHE_DIR) return env.DCP_CACHE_DIR;
  return path.join(env.XDG_CACHE_HOME || path.join(homedir(), ".cache"), "dcp");
}

function readOrEmpty(file: string): string {
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- dcp's own build id and npm's lockfile, at fixed places beside dist/
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

/** dcp's compiled code and the packages it runs on; undefined when running from source. */
function codeFingerprint(): string | undefined {
  const build = readOrEmpty(BUILD_ID).trim();
  if (build === "") return undefined;
  return `${build}\0${createHash("sha256").update(readOrEmpty(INSTALLED)).digest("hex")}\0${process.version}`;
}

/** Every file under the envs directory, path and content (a link by where it leads). */
function hashTree(hash: Hash, root: string, relative = ""): void {
  const dir = path.join(root, relative);
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the envs directory the operator named with --envs
  for (const name of readdirSync(dir).sort()) {
    const entry = path.join(relative, name);
    const absolute = path.join(root, entry);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- an entry of that directory
    const real = realpathSync(absolute);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- an entry of that directory
    const stats = statSync(real);
    hash.update(`${entry}\0${real === absolute ? "" : real}\0`);
    if (stats.isDirectory()) hashTree(hash, root, entry);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- an entry of that directory
    else hash.update(readFileSync(real)).update("\0");
  }
}

/** The cache key of one validate, or undefined when it cannot be cached (from source, or envs/ unreadable). */
export function cacheKey(options: ValidateOptions & { today: string }, code: string | undefined = codeFingerprint()): string | undefined {
  if (code === undefined) return undefined;
  const hash = createHash("sha256").update(`${code}\0${process.cwd()}\0${options.envsDir}\0${options.stage ?? ""}\0${options.today}\0`);
  try {
    hashTree(hash, path.resolve(options.envsDir));
  } catch {
    // Missing, a file, unreadable: validate says which, uncached.
    return undefined;
  }
  return hash.digest("hex");
}

function read(file: string): CachedReport | undefined {
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- an entry of dcp's cache directory, named by a hash
    return JSON.parse(readFileSync(file, "utf8")) as CachedReport;
  } catch {
    return undefined;
  }
}

/** Written whole or not at all; a cache that cannot be written is only a slower next run. */
function write(dir: string, file: string, report: CachedReport): void {
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- dcp's cache directory
    mkdirSync(dir, { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- dcp's cache directory
    writeFileSync(partial, JSON.stringify(report));
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- within dcp's cache directory
    renameSync(partial, file);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- dcp's cache directory
    const entries = readdirSync(dir).map((name) => path.join(dir, name));
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- entries of dcp's cache directory
    const byAge = entries.map((entry) => ({ entry, mtime: statSync(entry).mtimeMs })).sort((a, b) => b.mtime - a.mtime);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- entries of dcp's cache directory
    for (const { entry } of byAge.slice(KEPT)) unlinkSync(entry);
  } catch {
    // read-only or full: nothing to do
  }
}

/**
 * The report of `validate(options)`: read from the cache when these exact inputs were
 * validated before, else computed by `compute` and kept.
 */
export async function cachedValidation(
  options: ValidateOptions,
  compute: (options: ValidateOptions & { today: string }) => Promise<ValidationReport>,
  settings: { dir?: string; code?: string } = {},
): Promise<CachedReport> {
  const withDay = { ...options, today: options.today ?? new Date().toISOString().slice(0, 10) };
  const key = cacheKey(withDay, "code" in settings ? settings.code : codeFingerprint());
  const dir = path.join(settings.dir ?? cacheDir(), "validate");
  const file = key === undefined ? undefined : path.join(dir, `${key}.json`);
  const cached = file === undefined ? undefined : read(file);
  if (cached !== undefined) return cached;
  const { envs: _envs, ...report } = await compute(withDay);
  if (file !== undefined) write(dir, file, report);
  return report;
}
