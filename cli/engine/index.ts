/**
 * The Engine adapter's entry point. Commands import this module lazily; it loads the
 * Pulumi SDK only when an engine is created, so `dcp --help` and `dcp validate` stay fast.
 */
import { join } from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import type { Envs } from "../config/model";
import type { Engine } from "../pipeline/ports";
import { requirePulumiCli } from "./pulumi-cli";
import { PulumiEngine } from "./pulumi-engine";
import { ProgramRevisions } from "./revisions";
import { compiledPreload, nodeOptionsWithPreload } from "./node-preload";
import { openWorkspace, resolveBackend, workspaceEnvironment } from "./workspace";

export interface CreateEngineOptions {
  /** The directory holding Pulumi.yaml, envs/, infra/ and policies/. */
  repoRoot: string;
  /** Every raw engine event, tagged with its stack: for logs and --debug. */
  onEvent?: (stack: string, event: EngineEvent) => void;
  /** Things the user should know about the engine's setup; stderr when absent. */
  onNotice?: (message: string) => void;
}

/**
 * The Pulumi-backed Engine for this repository. Throws a UsageError (exit 1) naming what
 * to install when no usable `pulumi` CLI is on PATH, and a ConfigError when Pulumi.yaml
 * does not name the workload's project.
 */
export async function createEngine(envs: Envs, options: CreateEngineOptions): Promise<Engine> {
  const pulumiCommand = await requirePulumiCli();
  const backend = resolveBackend(envs.pipeline.state, options.repoRoot, envs.pipeline.secretsProvider);
  const { envVars: backendVars, notice } = workspaceEnvironment(backend);
  const envVars = { ...backendVars, ...nodeOptionsWithPreload(process.env["NODE_OPTIONS"], compiledPreload()) };
  if (notice) (options.onNotice ?? ((message) => process.stderr.write(`note: ${message}\n`)))(notice);
  const revisions = new ProgramRevisions(
    options.repoRoot,
    (workDir) => openWorkspace({ workDir, workload: envs.pipeline.workload, backend, envVars, pulumiCommand }),
    envs.pipeline.mainBranch,
  );
  // Opened now rather than on first use, so a missing or mismatched Pulumi.yaml fails before any work starts.
  await revisions.factoryFor(undefined);
  return new PulumiEngine((revision) => revisions.factoryFor(revision), { policyPack: join(options.repoRoot, "policies"), onEvent: options.onEvent });
}
