import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * dcp's own version, from the package.json above this module: found by walking up, since
 * the module runs from cli/ under tests and from dist/cli/ once compiled.
 */
export function dcpVersion(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- a package.json above dcp's own module
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (manifest.name === "dcp" && manifest.version) return manifest.version;
    } catch {
      // no package.json at this level: keep walking up
    }
    if (dirname(dir) === dir) return "unknown";
  }
}
