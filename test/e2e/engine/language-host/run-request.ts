// How the real host turns a RunRequest into the `node @pulumi/pulumi/cmd/run` command line and
// environment, and the program's exit into a RunResponse (constructArguments, constructConfig,
// constructConfigSecretKeys and execRuntime in main.go at v3.248.0).
import * as lang from "@pulumi/pulumi/proto/language_pb";

/** The exit code @pulumi/pulumi's run uses after it already showed the user an actionable error. */
const exitedAfterShowingUserActionableMessage = 32;

/**
 * Arguments for cmd/run. The real host also passes `--sync` (pipes serving the deprecated
 * synchronous invokes) and points `--monitor` at a proxy that forwards every call unchanged to
 * the engine's monitor; without synchronous invokes that proxy adds nothing, so the program
 * talks to the engine's monitor directly.
 */
export function runArguments(req: lang.RunRequest, runPath: string, engineAddress: string, tracing: string): string[] {
  const args = [runPath];
  const maybe = (flag: string, value: string | undefined) => {
    if (value) args.push(`--${flag}`, value);
  };
  const info = req.getInfo();
  maybe("monitor", req.getMonitorAddress());
  maybe("engine", engineAddress);
  maybe("organization", req.getOrganization());
  maybe("project", req.getProject());
  maybe("root-directory", info?.getRootDirectory());
  maybe("stack", req.getStack());
  maybe("pwd", info?.getProgramDirectory());
  if (req.getDryrun()) args.push("--dry-run");
  maybe("parallel", String(req.getParallel()));
  maybe("tracing", tracing);
  // The engine always names an entry point, "." for the program directory itself.
  args.push(info?.getEntryPoint() ?? ".", ...req.getArgsList());
  return args;
}

/**
 * PULUMI_CONFIG and PULUMI_CONFIG_SECRET_KEYS. Keys are presented in the old
 * `<namespace>:config:<name>` form, which every @pulumi/pulumi release understands.
 */
export function runConfig(req: lang.RunRequest): string[] {
  const config: Record<string, string> = {};
  for (const [key, value] of req.getConfigMap().entries()) {
    const parts = key.split(":");
    let namespace: string | undefined;
    let name: string | undefined;
    if (parts.length === 2) [namespace, name] = parts;
    else if (parts.length === 3 && parts[1] === "config") [namespace, , name] = parts;
    if (!namespace || name === undefined) {
      throw new Error(`failed to serialize configuration: could not parse ${key} as a configuration key (configuration keys should be of the form \`<namespace>:<name>\`)`);
    }
    config[`${namespace}:config:${name}`] = value;
  }
  return [`PULUMI_CONFIG=${JSON.stringify(config)}`, `PULUMI_CONFIG_SECRET_KEYS=${JSON.stringify(req.getConfigsecretkeysList())}`];
}

/** The RunResponse for a program that exited with `code` (-1: killed by a signal). */
export function runResponse(code: number): lang.RunResponse {
  const res = new lang.RunResponse();
  if (code === 0) return res;
  // The program already told the user what went wrong: the engine just stops.
  if (code === exitedAfterShowingUserActionableMessage) return res.setBail(true);
  return res.setError(`Program exited with non-zero exit code: ${code}`);
}
