/**
 * Every Node process the engine starts for dcp (the program, the policy pack) loads
 * @pulumi/pulumi, whose runtime requires @npmcli/arborist and the TypeScript compiler
 * at load time for closure serialisation, which neither uses: about 0.6 s of each
 * process's ~1.1 s start. Node's NODE_OPTIONS reaches those processes through the
 * language host, so dcp preloads there the same deferral its own process uses.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";

/** The compiled deferral module, when dcp runs compiled (not under a TypeScript loader in tests). */
export function compiledPreload(dir: string = __dirname): string | undefined {
  const file = join(dir, "..", "lazy-sdk-modules.js");
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- dcp's own compiled module, next to this one
  return existsSync(file) ? file : undefined;
}

/** NODE_OPTIONS with the preload added to what the user already set; nothing to set without a preload. */
export function nodeOptionsWithPreload(existing: string | undefined, preload: string | undefined): Record<string, string> {
  if (preload === undefined) return {};
  const option = `--require ${JSON.stringify(preload)}`;
  if (existing?.includes(option)) return { NODE_OPTIONS: existing };
  return { NODE_OPTIONS: existing ? `${existing} ${option}` : option };
}
