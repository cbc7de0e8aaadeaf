/**
 * The environment of a verify command: the workload's own code, run beside dcp's deploy
 * credentials. It gets PATH and HOME, every DCP_* variable (the stack it checks), and
 * what its check names in `passEnv` — never a credential variable, whatever it names.
 */
import { isCredentialVariable } from "../credential-variables";

const ALWAYS = new Set(["PATH", "HOME"]);

export function checkEnvironment(parent: NodeJS.ProcessEnv, passEnv: readonly string[], stack: Record<string, string>): Record<string, string> {
  const named = new Set(passEnv);
  const passed = Object.entries(parent).filter(
    ([name, value]) => value !== undefined && !isCredentialVariable(name) && (ALWAYS.has(name) || name.startsWith("DCP_") || named.has(name)),
  );
  return { ...Object.fromEntries(passed as [string, string][]), ...stack };
}
