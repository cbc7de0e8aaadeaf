/**
 * The one check every engine-backed command makes before doing anything: is a usable
 * `pulumi` CLI on PATH? The Automation API drives that binary; without it the SDK
 * fails with a raw spawn error deep inside the first stack operation.
 */
import type { PulumiCommand } from "@pulumi/pulumi/automation";
import { UsageError } from "../errors";
import { installAdvice, notOnPathError } from "./pulumi-on-path";
import { MINIMUM_PULUMI_VERSION, missingFeatures } from "./pulumi-version";

/** The oldest `pulumi` CLI dcp accepts: the newest of the features it relies on (pulumi-version.ts). */
export function minimumPulumiVersion(): string {
  return MINIMUM_PULUMI_VERSION;
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
  let command: PulumiCommand;
  try {
    command = await PulumiCommand.get();
  } catch (error) {
    throw explain(error);
  }
  // Null only when the user opted out of the SDK's version check (PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK).
  const version = command.version?.version;
  if (version !== undefined && missingFeatures(version).length > 0) throw tooOld(version);
  return command;
}

/** Names what the CLI lacks, so the user sees why dcp asks for a version newer than the SDK's own minimum. */
function tooOld(version: string | undefined): UsageError {
  const needs = version === undefined ? [] : missingFeatures(version).map((entry) => `${entry.feature} (${entry.version})`);
  const why = needs.length > 0 ? `: dcp needs ${needs.join("; ")}` : "";
  return new UsageError(`the Pulumi CLI on PATH (${version ?? "unknown version"}) is too old for dcp${why}. ${installAdvice(MINIMUM_PULUMI_VERSION)}`);
}

/** Translates the SDK's failures (a spawn error wrapped in a CommandError, or a version mismatch) into advice. */
export function explain(error: unknown): UsageError {
  const minimum = MINIMUM_PULUMI_VERSION;
  const text = error instanceof Error ? error.message : String(error);
  const install = installAdvice(minimum);
  if (/ENOENT|not found|no such file/i.test(text)) return notOnPathError(minimum);
  // The SDK says "… your current CLI version is v3.1.0. Please update the Pulumi CLI."
  const version = /current CLI version is v?(\S+)\. /.exec(text)?.[1];
  if (/Minimum version requirement failed/.test(text)) {
    return tooOld(version);
  }
  if (/Major version mismatch/.test(text)) {
    return new UsageError(`the Pulumi CLI on PATH is a newer major version than dcp's Automation API supports: ${firstLine(text)}`);
  }
  // The SDK's CommandError leads with "code: -2"; the spawn error it wraps ("err?: Error: …") says what happened.
  const cause = /err\?: Error: (.+)/.exec(text)?.[1] ?? firstLine(text);
  return new UsageError(`the Pulumi CLI on PATH could not be run (${cause}). ${install}`);
}

function firstLine(text: string): string {
  return text.split("\n").find((line) => line.trim() !== "")?.trim() ?? text;
}

/** For tests: forget the memoised CLI so a changed PATH is probed again. */
export function forgetPulumiCli(): void {
  found = undefined;
}
