import { ConfigError } from "../errors";
import { loadEnvs } from "./load";
import type { Envs } from "./model";

/**
 * Load envs/ for a command that needs a valid configuration: any error stops it
 * with every problem listed (exit 1), exactly as `dcp validate` would show them.
 */
export async function requireEnvs(dir: string): Promise<Envs> {
  const loaded = await loadEnvs(dir);
  if (!loaded.envs) {
    const errors = loaded.diagnostics.filter((d) => d.severity === "error").length;
    const found = errors === 1 ? "a configuration error; fix it" : `${errors} configuration errors; fix them`;
    throw new ConfigError(`${dir} has ${found} (dcp validate shows the same list)`, loaded.diagnostics);
  }
  return loaded.envs;
}
