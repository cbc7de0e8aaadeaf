/**
 * The cheapest possible refusal: is there any `pulumi` on PATH at all? Checked before
 * envs/ or the Automation API is loaded, so a machine without the CLI hears it in the
 * time Node takes to start, not after seconds of loading what it cannot use.
 */
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";
import { UsageError } from "../errors";
import { MINIMUM_PULUMI_VERSION } from "./pulumi-version";

export const PULUMI_INSTALL_URL = "https://www.pulumi.com/docs/install/";

export function installAdvice(minimum: string): string {
  return `Install the Pulumi CLI ${minimum} or newer (${PULUMI_INSTALL_URL}) and make sure \`pulumi\` is on PATH.`;
}

export function notOnPathError(minimum: string): UsageError {
  return new UsageError(`\`pulumi\` is not on PATH; preview, release, rollback, status, history and drift need the Pulumi CLI. ${installAdvice(minimum)}`);
}

/** The first executable `pulumi` on PATH, or undefined. */
export function findPulumiOnPath(path: string | undefined = process.env["PATH"]): string | undefined {
  // Stryker disable next-line StringLiteral: with PATH unset, a made-up entry names no directory holding a pulumi, as the empty PATH does
  for (const dir of (path ?? "").split(delimiter)) {
    // A shell reads an empty entry as the working directory: this check counts no `pulumi` that lies where dcp was started.
    if (dir === "") continue;
    const candidate = join(dir, "pulumi");
    try {
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- probing PATH, as a shell does
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory, or not executable: keep looking
    }
  }
  return undefined;
}

/** Throws the install advice (exit 1) when no `pulumi` is on PATH. */
export function requirePulumiOnPath(): void {
  if (findPulumiOnPath() === undefined) throw notOnPathError(MINIMUM_PULUMI_VERSION);
}
