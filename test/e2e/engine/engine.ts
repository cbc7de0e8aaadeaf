// Where the real Pulumi engine of the end-to-end tests lives, and the environment that keeps it
// local: the CLI built (or found) by build-engine.sh, and our test pulumi-language-nodejs,
// which the engine picks up from PATH.
//
// Why PATH: the engine looks a language plugin up (workspace.GetPluginPath in sdk/go/common/
// workspace/plugins.go at v3.248.0) on $PATH first ("ambient", unless
// PULUMI_IGNORE_AMBIENT_PLUGINS is set), then next to the running CLI, found through
// os.Executable() with symlinks resolved, so a symlink to the CLI placed beside our host would
// still be looked up beside the real binary in the shared cache. An ambient host makes the CLI
// print a warning ("using pulumi-language-nodejs from $PATH at ..."); that is expected.
import { execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";

export interface EngineDirs {
  /** Directory holding the `pulumi` binary. */
  pulumiDir: string;
  /** What `pulumi version` prints, e.g. v3.248.0. */
  pulumiVersion: string;
  /** Directory holding the `pulumi-language-nodejs` launcher; it must come first on PATH. */
  languageHostDir: string;
  languageHostVersion: string;
}

export interface EngineEnvBase {
  /** The file backend's directory (PULUMI_BACKEND_URL=file://…). */
  backendDir: string;
  /** PULUMI_HOME: the CLI's workspace settings and plugin cache, kept out of ~/.pulumi. */
  pulumiHome: string;
  /** Passphrase of the stacks' secrets provider; "x" unless given. */
  passphrase?: string;
  /** The environment to extend; process.env unless given. */
  env?: NodeJS.ProcessEnv;
}

/** The Pulumi CLI version that go.mod pins and build-engine.sh builds, e.g. v3.274.1. */
export function pinnedCliVersion(): string {
  const goMod = fs.readFileSync(path.join(__dirname, "go.mod"), "utf8");
  const pinned = /^\s*github\.com\/pulumi\/pulumi\/pkg\/v3 (v\S+)$/m.exec(goMod)?.[1];
  if (pinned === undefined) throw new Error(`${path.join(__dirname, "go.mod")} pins no github.com/pulumi/pulumi/pkg/v3`);
  return pinned;
}

const run = promisify(execFile);
const buildScript = path.join(__dirname, "build-engine.sh");
const languageHostDir = path.join(__dirname, "bin");
let located: Promise<EngineDirs> | undefined;

/**
 * Runs build-engine.sh (which may build the CLI for many minutes the first time; its progress
 * goes to our stderr) and reports the versions found. Memoised: suites share one engine.
 */
export function locateEngine(): Promise<EngineDirs> {
  located ??= locate().catch((err: unknown) => {
    located = undefined;
    throw err;
  });
  return located;
}

async function locate(): Promise<EngineDirs> {
  process.stderr.write("engine: locating the Pulumi CLI (build-engine.sh)\n");
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = spawn("bash", [buildScript], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`build-engine.sh exited with ${code ?? "a signal"}`)),
    );
  });
  const pulumiDir = stdout.trim().split("\n").pop() ?? "";
  const pulumi = path.join(pulumiDir, "pulumi");
  if (!fs.existsSync(pulumi)) throw new Error(`build-engine.sh printed ${JSON.stringify(pulumiDir)}, which holds no pulumi`);
  const pulumiVersion = (await run(pulumi, ["version"])).stdout.trim();
  const languageHostVersion = (await run(path.join(languageHostDir, "pulumi-language-nodejs"), ["--version"])).stdout.trim();
  process.stderr.write(`engine: pulumi ${pulumiVersion} in ${pulumiDir}; language host ${languageHostVersion} in ${languageHostDir}\n`);
  return { pulumiDir, pulumiVersion, languageHostDir, languageHostVersion };
}

/**
 * The environment for running the CLI (directly or through the Automation API's envVars):
 * a file backend, a private PULUMI_HOME, no update checks, no plugin downloads (a missing
 * plugin fails at once instead of trying the network), and PATH with our language host first.
 */
export function engineEnv(base: EngineEnvBase, dirs: Pick<EngineDirs, "pulumiDir" | "languageHostDir">): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base.env ?? process.env)) {
    if (value !== undefined) env[key] = value;
  }
  // Ambient plugins are how the engine finds the language host.
  delete env.PULUMI_IGNORE_AMBIENT_PLUGINS;
  return {
    ...env,
    PULUMI_BACKEND_URL: `file://${path.resolve(base.backendDir)}`,
    PULUMI_CONFIG_PASSPHRASE: base.passphrase ?? "x",
    // The scenarios run dcp as CI does, on a file backend in a directory the test keeps.
    DCP_ALLOW_LOCAL_STATE: "1",
    PULUMI_HOME: path.resolve(base.pulumiHome),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PATH: [dirs.languageHostDir, dirs.pulumiDir, env.PATH ?? ""].join(path.delimiter),
  };
}

/**
 * A directory usable as PulumiCommand.get({ root }), which runs `<root>/bin/pulumi`: the CLI's
 * own directory's parent if it is a `bin`, else `into` with a bin/pulumi symlink (harmless for
 * the CLI, which finds the language host on PATH).
 */
export function pulumiCommandRoot(pulumiDir: string, into: string): string {
  if (path.basename(pulumiDir) === "bin") return path.dirname(pulumiDir);
  fs.mkdirSync(path.join(into, "bin"), { recursive: true });
  const link = path.join(into, "bin", "pulumi");
  fs.rmSync(link, { force: true });
  fs.symlinkSync(path.join(pulumiDir, "pulumi"), link);
  return into;
}
