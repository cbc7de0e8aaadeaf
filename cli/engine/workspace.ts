/**
 * The LocalWorkspace dcp runs: the Pulumi project at the repo root (so `pulumi` by hand
 * sees the same stacks), the backend from pipeline.yaml, and the secrets provider it
 * names: a passphrase for self-managed backends unless it names a KMS key.
 */
import { mkdirSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import type { LocalWorkspace, LocalWorkspaceOptions, PulumiCommand } from "@pulumi/pulumi/automation";
import { ConfigError, SetupError } from "../errors";
import type { StackFactory } from "./pulumi-engine";

export const DEFAULT_STATE = "file://.pulumi-state";

export interface Backend {
  url: string;
  /** The local directory of a file:// backend. */
  directory?: string;
  /**
   * How new stacks' secrets are encrypted (`pulumi stack init --secrets-provider`):
   * `passphrase`, or a KMS key (`awskms://…`) that the credentials running dcp may use.
   * Self-managed backends (file, s3, azblob, gs) default to the passphrase; undefined on
   * Pulumi Cloud, which encrypts them itself.
   */
  secretsProvider?: string;
}

/**
 * pipeline.yaml's `state` and `secretsProvider`, with a relative file:// path taken from
 * the repo root rather than the cwd.
 */
export function resolveBackend(state: string | undefined, repoRoot: string, secretsProvider?: string): Backend {
  const url = state ?? DEFAULT_STATE;
  const provider = secretsProvider ?? (url.startsWith("https://") ? undefined : "passphrase");
  const secrets = provider === undefined ? {} : { secretsProvider: provider };
  if (!url.startsWith("file://")) return { url, ...secrets };
  const path = url.slice("file://".length);
  if (path.startsWith("~")) return { url, ...secrets };
  const directory = isAbsolute(path) ? path : resolve(repoRoot, path);
  return { url: `file://${directory}`, directory, ...secrets };
}

export interface WorkspaceEnvironment {
  envVars: Record<string, string>;
  /** Something the user should know, e.g. that secrets use an empty passphrase. */
  notice?: string;
}

/**
 * The engine's environment for the backend. In CI two set-ups that work on a laptop lose
 * or expose state, so they are refused before anything runs: a file:// backend, gone with
 * the runner and with it the ledger rollbacks read (DCP_ALLOW_LOCAL_STATE=1 for a runner
 * whose disk persists), and secrets encrypted with an empty passphrase. With a KMS secrets
 * provider there is no passphrase to set: the key's policy decides who reads the secrets.
 */
export function workspaceEnvironment(backend: Backend, env: NodeJS.ProcessEnv = process.env): WorkspaceEnvironment {
  if (inCi(env)) {
    if (backend.url.startsWith("file://") && env.DCP_ALLOW_LOCAL_STATE !== "1") {
      throw new SetupError(
        "backend-local",
        `the state backend is ${backend.url}, on this CI runner's disk: the stacks' state and release history go when the runner does. ` +
          "Set `state:` in envs/pipeline.yaml to a shared backend (s3://bucket/prefix), or DCP_ALLOW_LOCAL_STATE=1 on a runner whose disk persists",
      );
    }
    if (backend.secretsProvider === "passphrase" && !env.PULUMI_CONFIG_PASSPHRASE && !env.PULUMI_CONFIG_PASSPHRASE_FILE) {
      throw new SetupError(
        "passphrase",
        "PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) is not set: in CI dcp refuses to encrypt the stacks' secrets with an empty passphrase. " +
          "Set it from a CI secret, the same one on every machine that releases",
      );
    }
  }
  const envVars: Record<string, string> = { PULUMI_BACKEND_URL: backend.url, PULUMI_SKIP_UPDATE_CHECK: "true" };
  if (backend.secretsProvider !== "passphrase" || env.PULUMI_CONFIG_PASSPHRASE !== undefined || env.PULUMI_CONFIG_PASSPHRASE_FILE !== undefined) {
    return { envVars };
  }
  // Without a passphrase the CLI would stop and prompt, which a non-interactive run cannot answer.
  envVars.PULUMI_CONFIG_PASSPHRASE = "";
  return {
    envVars,
    notice:
      "PULUMI_CONFIG_PASSPHRASE is not set: stack secrets are encrypted with an empty passphrase. " +
      "Set it (or PULUMI_CONFIG_PASSPHRASE_FILE) to protect them; use the same one on every machine that releases.",
  };
}

export interface WorkspaceSettings {
  workDir: string;
  workload: string;
  backend: Backend;
  envVars: Record<string, string>;
  pulumiCommand: PulumiCommand;
}

/** What the LocalWorkspace is created with: its secrets provider is what `pulumi stack init` gives a new stack. */
export function workspaceOptions(settings: WorkspaceSettings): LocalWorkspaceOptions {
  return {
    workDir: settings.workDir,
    pulumiCommand: settings.pulumiCommand,
    envVars: settings.envVars,
    ...(settings.backend.secretsProvider !== undefined && { secretsProvider: settings.backend.secretsProvider }),
  };
}

/** One LocalWorkspace on `workDir`, and stacks selected through it. */
export async function openWorkspace(settings: WorkspaceSettings): Promise<StackFactory> {
  const auto = await import("@pulumi/pulumi/automation/index.js");
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the file state backend that pipeline.yaml's `state` names
  if (settings.backend.directory) mkdirSync(settings.backend.directory, { recursive: true });
  const workspace = await auto.LocalWorkspace.create(workspaceOptions(settings));
  await checkProject(workspace, settings.workload);
  return {
    select: (name) => auto.Stack.select(name, workspace),
    createOrSelect: (name) => auto.Stack.createOrSelect(name, workspace),
  };
}

/** Stacks live under the project's name: a Pulumi.yaml naming another project would release elsewhere. */
async function checkProject(workspace: LocalWorkspace, workload: string): Promise<void> {
  let name: string;
  try {
    name = (await workspace.projectSettings()).name;
  } catch (error) {
    throw new ConfigError(`no Pulumi project in ${workspace.workDir}: ${(error as Error).message}`);
  }
  if (name !== workload) {
    throw new ConfigError(
      `Pulumi.yaml in ${workspace.workDir} names the project "${name}" but envs/pipeline.yaml's workload is "${workload}": they must be the same`,
    );
  }
}

function inCi(env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== "" && ci !== "0" && ci.toLowerCase() !== "false";
}
