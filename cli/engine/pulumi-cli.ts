/**
 * The one check every engine-backed command makes before doing anything: is a usable
 * `pulumi` CLI on PATH? The Automation API drives that binary; without it the SDK
 * fails with a raw spawn error deep inside the first stack operation.
 */
import type { PulumiCommand } from "@pulumi/pulumi/automation";
import { UsageError } from "../errors";
import { installAdvice, notOnPathError } from "./pulumi-on-path";

export { PULUMI_INSTALL_URL } from "./pulumi-on-path";

/** Used only if the SDK stops shipping its internal minimum: the version this one enforced when written. */
const FALLBACK_MINIMUM_VERSION = "3.2.0";

/** The oldest `pulumi` CLI the installed Automation API accepts, as the SDK itself decides it. */
export async function minimumPulumiVersion(): Promise<string> {
  try {
    // An internal module of the SDK, but it is the number PulumiCommand.get() enforces.
    const sdk = (await import("@pulumi/pulumi/automation/minimumVersion.js")) as { minimumVersion?: { version?: string } };
    return sdk.minimumVersion?.version?.replace(/-.*$/, "") ?? FALLBACK_MINIMUM_VERSION;
  } catch {
    return FALLBACK_MINIMUM_VERSION;
  }
}

let found: Promise<PulumiCommand> | undefined;

/**
 * Resolves the `pulumi` CLI on PATH, or throws a UsageError (exit 1) that says what to
 * install. Memoised: the version probe spawns a process.
 */
export function requirePulumiCli(): Promise<PulumiCommand> {
  found ??= locate().catch((error: unknown) => {
    found = undefined;
    throw error;
  });
  return found;
}

async function locate(): Promise<PulumiCommand> {
  const { PulumiCommand } = await import("@pulumi/pulumi/automation/index.js");
  try {
    return await PulumiCommand.get();
  } catch (error) {
    throw await explain(error);
  }
}

/** Translates the SDK's failures (a spawn error wrapped in a CommandError, or a version mismatch) into advice. */
export async function explain(error: unknown): Promise<UsageError> {
  const minimum = await minimumPulumiVersion();
  const text = error instanceof Error ? error.message : String(error);
  const install = installAdvice(minimum);
  if (/ENOENT|not found|no such file/i.test(text)) return notOnPathError(minimum);
  const version = /current CLI version is v?(\S+?)\.?\s/.exec(text)?.[1];
  if (/Minimum version requirement failed/.test(text)) {
    return new UsageError(`the Pulumi CLI on PATH (${version ?? "unknown version"}) is too old for dcp. ${install}`);
  }
  if (/Major version mismatch/.test(text)) {
    return new UsageError(`the Pulumi CLI on PATH is a newer major version than dcp's Automation API supports: ${firstLine(text)}`);
  }
  // The SDK's CommandError leads with "code: -2"; the spawn error it wraps says what happened.
  const cause = /err\?: (?:Error: )?(.+)/.exec(text)?.[1]?.trim() ?? firstLine(text);
  return new UsageError(`the Pulumi CLI on PATH could not be run (${cause}). ${install}`);
}

function firstLine(text: string): string {
  return text.split("\n").find((line) => line.trim() !== "")?.trim() ?? text;
}

/** For tests: forget the memoised CLI so a changed PATH is probed again. */
export function forgetPulumiCli(): void {
  found = undefined;
}
