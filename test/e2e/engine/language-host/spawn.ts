// Process plumbing shared by Run and RunPlugin, mirroring the real host's Go helpers.
import { type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** exec.LookPath: the first executable `name` on PATH. */
export function lookPath(name: string): string {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir || ".", name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here; keep looking
    }
  }
  throw new Error(`exec: "${name}": executable file not found in $PATH`);
}

/**
 * locateModule: resolves `mod` (an @pulumi/pulumi entry point) from the program's directory,
 * so the program runs with its own SDK, with the real host's hint when it is not installed.
 */
export function locateModule(mod: string, programDir: string, isPlugin: boolean): string {
  try {
    return require.resolve(mod, { paths: [programDir] });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw err;
    const install = isPlugin ? `npm install in ${programDir}` : "pulumi install";
    throw new Error(`It looks like the Pulumi SDK has not been installed. Have you run ${install}?`, { cause: err });
  }
}

export interface RuntimeOptions {
  typescript: boolean;
  tsconfigpath: string;
  nodeargs: string[];
}

/** parseOptions: the `runtime.options` of Pulumi.yaml (or PulumiPolicy.yaml). */
export function parseOptions(options: Record<string, unknown>): RuntimeOptions {
  const { typescript = true, tsconfig = "", nodeargs = "", packagemanager = "auto" } = options;
  if (typeof typescript !== "boolean") throw new Error("typescript option must be a boolean");
  if (typeof tsconfig !== "string") throw new Error("tsconfigpath option must be a string");
  if (typeof nodeargs !== "string") throw new Error("nodeargs option must be a string");
  if (typeof packagemanager !== "string" || !["auto", "npm", "yarn", "pnpm", "bun"].includes(packagemanager)) {
    throw new Error(`packagemanager option must be one of auto, npm, yarn, pnpm or bun, got ${JSON.stringify(packagemanager)}`);
  }
  return { typescript, tsconfigpath: tsconfig, nodeargs: shellSplit(nodeargs) };
}

/** The environment entries those options add (PULUMI_NODEJS_TYPESCRIPT makes the SDK load ts-node). */
export function optionsEnv(opts: RuntimeOptions): string[] {
  return [
    ...(opts.typescript ? ["PULUMI_NODEJS_TYPESCRIPT=true"] : []),
    ...(opts.tsconfigpath ? [`PULUMI_NODEJS_TSCONFIG_PATH=${opts.tsconfigpath}`] : []),
  ];
}

/** Splits `nodeargs` the way shlex.Split does for plain words, quotes and backslashes. */
function shellSplit(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line.charAt(i);
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === "\\" && quote === '"' && i + 1 < line.length) word += line.charAt(++i);
      else word += c;
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= "";
    } else if (c === "\\" && i + 1 < line.length) {
      word = (word ?? "") + line.charAt(++i);
    } else {
      word = (word ?? "") + c;
    }
  }
  if (quote) throw new Error("EOF found when expecting closing quote");
  if (word !== undefined) words.push(word);
  return words;
}

/** Turns a list of KEY=VALUE entries (Go's cmd.Env) into an environment object; later wins. */
export function envObject(entries: string[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const entry of entries) {
    const eq = entry.indexOf("=");
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}

export function processEnvEntries(): string[] {
  return Object.entries(process.env).flatMap(([k, v]) => (v === undefined ? [] : [`${k}=${v}`]));
}

/** How a child ended, as Go's ExitCode() reports it (-1 when killed by a signal). */
export function waitExit(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve(code ?? -1));
  });
}

/**
 * Stops a child the way exec.CommandContext with the real host's Cancel hook does: an
 * interrupt first, then a kill if it is still there after WaitDelay (5 s).
 */
export function interrupt(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGINT");
  setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }, 5000).unref();
}
