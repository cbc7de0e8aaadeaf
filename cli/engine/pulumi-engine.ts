/**
 * The Engine port over the Pulumi Automation API. It translates, nothing more: the
 * StackConfig goes in as `dcp:stack`, policy events come out as violations, update
 * summaries come out as release records, CommandErrors come out as domain errors.
 */
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { EngineEvent, OpMap, OutputMap, Stack, StackSettings, UpdateSummary, Workspace } from "@pulumi/pulumi/automation";
import { STACK_CONFIG_KEY, type StackConfig } from "../../infra/stack-config";
import type { StackOutputs } from "../../infra/outputs";
import { DeploymentError, InterruptedError } from "../errors";
import type {
  DriftedResource,
  Engine,
  EngineOptions,
  PreviewResult,
  ReleaseRecord,
  StackRef,
  UpResult,
} from "../pipeline/ports";
import { isConcurrentUpdate, isStackNotFound, toDomainError } from "./command-errors";
import { EventCollector } from "./engine-events";
import { PolicyConfigFiles } from "./policy-config";
import { SerialQueue } from "./serial";

/** The part of the SDK's Stack this adapter uses; tests hand in objects with only these. */
export type StackOperations = Pick<Stack, "name" | "preview" | "up" | "outputs" | "history" | "previewRefresh"> & {
  workspace: Pick<Workspace, "workDir" | "stackSettings" | "saveStackSettings" | "removeStack">;
};

/** How stacks are obtained: `Stack.select` / `Stack.createOrSelect` on one LocalWorkspace in production. */
export interface StackFactory {
  /** Throws the SDK's StackNotFoundError when the stack does not exist. */
  select(name: string): Promise<StackOperations>;
  createOrSelect(name: string): Promise<StackOperations>;
}

/** The stacks of the working copy's program (no revision), or of the program at a git revision. */
export type StackFactories = (programRevision: string | undefined) => Promise<StackFactory>;

export interface PulumiEngineOptions {
  /** Absolute path of the policy pack directory. */
  policyPack: string;
  /** Every raw engine event, for logs and debugging. */
  onEvent?: (stack: string, event: EngineEvent) => void;
  policyConfigFiles?: PolicyConfigFiles;
}

export class PulumiEngine implements Engine {
  private readonly selection = new SerialQueue();
  private readonly stacks = new Map<string, StackOperations>();
  private readonly policyConfigFiles: PolicyConfigFiles;

  constructor(
    private readonly factories: StackFactories,
    private readonly options: PulumiEngineOptions,
  ) {
    this.policyConfigFiles = options.policyConfigFiles ?? new PolicyConfigFiles();
  }

  /**
   * Leaves the backend and the settings file as it found them: a stack that did not exist
   * is created only for the preview and removed after it, and an existing stack's settings
   * file gets its previous content back, so a later `pulumi refresh` records no config
   * that was never released.
   */
  async preview(ref: StackRef, config: StackConfig, options: EngineOptions): Promise<PreviewResult> {
    const revision = options.programRevision;
    const existing = await this.existing(ref, "preview", revision);
    const stack = existing ?? (await this.prepare(ref, config, options, "preview"));
    const settingsBefore = existing ? await settingsOf(existing) : undefined;
    if (existing) await this.call(ref, "preview", () => writeStackConfig(existing, config));
    const cleanUp = () =>
      this.call(ref, "cleaning up after the preview", () => (existing ? restoreSettings(stack, settingsBefore) : this.remove(ref, stack, revision)));
    let result: PreviewResult;
    try {
      result = await this.runPreview(ref, stack, options);
    } catch (error) {
      // The preview's own failure is what the user must hear; a clean-up failing after it must not hide it.
      await cleanUp().catch(() => undefined);
      throw error;
    }
    await cleanUp();
    return result;
  }

  private async runPreview(ref: StackRef, stack: StackOperations, options: EngineOptions): Promise<PreviewResult> {
    const events = this.collector(ref, options);
    try {
      const result = await stack.preview({ ...this.operationOptions(options), onEvent: events.handle });
      return { stack: ref.name, changes: counts(result.changeSummary), violations: events.violations };
    } catch (error) {
      // A mandatory violation fails the preview command; that is a result to report, not an engine failure.
      if (events.mandatory.length > 0 && !isConcurrentUpdate(error) && !options.signal?.aborted) {
        return { stack: ref.name, changes: {}, violations: events.violations };
      }
      throw this.failure(ref, "preview", error, events, options);
    }
  }

  /** Removes a stack this engine created for a preview, with its settings file, and forgets it. */
  private async remove(ref: StackRef, stack: StackOperations, revision: string | undefined): Promise<void> {
    await this.selection.run(async () => {
      this.stacks.delete(stackKey(revision, ref.name));
      await stack.workspace.removeStack(stack.name);
    });
  }

  async up(ref: StackRef, config: StackConfig, options: EngineOptions): Promise<UpResult> {
    const stack = await this.prepare(ref, config, options, "update");
    const events = this.collector(ref, options);
    try {
      const release = config.metadata?.releaseId;
      const result = await stack.up({
        ...this.operationOptions(options),
        onEvent: events.handle,
        message: release ? `dcp release ${release}` : "dcp release",
      });
      return { stack: ref.name, changes: counts(result.summary.resourceChanges), outputs: toStackOutputs(result.outputs) };
    } catch (error) {
      if (events.mandatory.length > 0 && !isConcurrentUpdate(error)) {
        const listed = events.mandatory.map((violation) => `${violation.policy}: ${violation.message}`).join("\n");
        throw new DeploymentError(`update of stack ${ref.name} was refused by mandatory policies:\n${listed}`);
      }
      throw this.failure(ref, "update", error, events, options);
    }
  }

  async outputs(ref: StackRef): Promise<StackOutputs | undefined> {
    const stack = await this.existing(ref, "outputs");
    if (!stack) return undefined;
    const outputs = await this.call(ref, "reading outputs", () => stack.outputs());
    return Object.keys(outputs).length === 0 ? undefined : toStackOutputs(outputs);
  }

  async history(ref: StackRef): Promise<ReleaseRecord[]> {
    const stack = await this.existing(ref, "history");
    if (!stack) return [];
    const updates = await this.call(ref, "reading history", () => stack.history(undefined, undefined, true));
    return updates.map(toReleaseRecord).sort((a, b) => b.version - a.version);
  }

  async refresh(ref: StackRef, options: { signal?: AbortSignal }): Promise<DriftedResource[]> {
    const stack = await this.existing(ref, "refresh");
    if (!stack) return [];
    const events = this.collector(ref, {});
    try {
      await stack.previewRefresh({ onEvent: events.handle, signal: options.signal, color: "never" });
    } catch (error) {
      throw this.failure(ref, "refresh preview", error, events, options);
    }
    return events.drifted();
  }

  async prepareProgram(revision: string): Promise<void> {
    await this.factories(revision);
  }

  /** Selects (creating if needed) the stack and hands it the StackConfig to apply. */
  private async prepare(ref: StackRef, config: StackConfig, options: EngineOptions, operation: string): Promise<StackOperations> {
    const stack = await this.call(ref, operation, () => this.select(ref, options.programRevision, (factory) => factory.createOrSelect(ref.name)));
    await this.call(ref, operation, () => writeStackConfig(stack, config));
    return stack;
  }

  /** The stack if it exists; undefined when it was never released. */
  private async existing(ref: StackRef, operation: string, revision?: string): Promise<StackOperations | undefined> {
    try {
      return await this.select(ref, revision, (factory) => factory.select(ref.name));
    } catch (error) {
      if (isStackNotFound(error)) return undefined;
      throw toDomainError(ref.name, operation, error);
    }
  }

  /** The stack `open` gives, opened once per program revision and never two at a time (pulumi#8186). */
  private async select(ref: StackRef, revision: string | undefined, open: (factory: StackFactory) => Promise<StackOperations>): Promise<StackOperations> {
    const key = stackKey(revision, ref.name);
    const known = this.stacks.get(key);
    if (known) return known;
    return this.selection.run(async () => {
      const raced = this.stacks.get(key);
      if (raced) return raced;
      const stack = await open(await this.factories(revision));
      this.stacks.set(key, stack);
      return stack;
    });
  }

  private async call<T>(ref: StackRef, operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toDomainError(ref.name, operation, error);
    }
  }

  private collector(ref: StackRef, options: Pick<EngineOptions, "onProgress">): EventCollector {
    const raw = this.options.onEvent;
    return new EventCollector(ref.name, options.onProgress, raw && ((event) => raw(ref.name, event)));
  }

  private operationOptions(options: EngineOptions) {
    return {
      policyPacks: [this.options.policyPack],
      policyPackConfigs: [this.policyConfigFiles.pathFor(options.policyConfig)],
      signal: options.signal,
      color: "never" as const,
    };
  }

  private failure(ref: StackRef, operation: string, error: unknown, events: EventCollector, options: { signal?: AbortSignal }) {
    if (options.signal?.aborted) return new InterruptedError(`${operation} of stack ${ref.name} was interrupted`);
    return toDomainError(ref.name, operation, error, events.errors);
  }
}

/** The stacks of each program revision (none: the working copy) are apart. */
function stackKey(revision: string | undefined, name: string): string {
  return JSON.stringify([revision, name]);
}

/** A copy of the engine's counts: the CLI's JSON holds an integer for each operation it names, never a null. */
function counts(ops: OpMap | undefined): Record<string, number> {
  return { ...ops } as Record<string, number>;
}

/** The program exports exactly StackOutputs (infra/outputs.ts); the engine wraps each value. */
function toStackOutputs(outputs: OutputMap): StackOutputs {
  return Object.fromEntries(Object.entries(outputs).map(([key, output]) => [key, output.value])) as StackOutputs;
}

function toReleaseRecord(update: UpdateSummary): ReleaseRecord {
  const record: ReleaseRecord = {
    version: update.version,
    kind: update.kind,
    // "not-started" never changed anything: for rollback it is as good as failed.
    result: update.result === "not-started" ? "failed" : update.result,
    startedAt: new Date(update.startTime),
    // `pulumi stack history --json` prints an update without environment as null.
    environment: { ...update.environment },
  };
  if (update.endTime) record.endedAt = new Date(update.endTime);
  const config = recordedConfig(update);
  if (config !== undefined) record.config = config;
  return record;
}

/**
 * The StackConfig an update applied, if dcp made it. The CLI prints it as JSON text in
 * `value`, also when it was set structurally (`objectValue` then holds it parsed), and
 * prints no `value` for a secret it was not asked to show: JSON.parse refuses a missing
 * value as it refuses text that is not JSON.
 */
function recordedConfig(update: UpdateSummary): StackConfig | undefined {
  const text = update.config[STACK_CONFIG_KEY]?.value;
  try {
    const parsed: unknown = JSON.parse(text as string);
    return parsed !== null && typeof parsed === "object" ? (parsed as StackConfig) : undefined;
  }
  // Stryker disable next-line BlockStatement: an empty catch falls through to the function's end, which returns undefined too
  catch {
    return undefined;
  }
}

/** The stack's settings file as it is, or undefined when there is none. */
async function settingsOf(stack: StackOperations): Promise<StackSettings | undefined> {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the stack's own settings file in the project directory
  return existsSync(settingsPath(stack)) ? stack.workspace.stackSettings(stack.name) : undefined;
}

/** Puts the settings file back as it was before a preview wrote the previewed StackConfig into it. */
async function restoreSettings(stack: StackOperations, settings: StackSettings | undefined): Promise<void> {
  if (settings === undefined) rmSync(settingsPath(stack), { force: true });
  else await stack.workspace.saveStackSettings(stack.name, settings);
}

/** Where LocalWorkspace keeps the stack's settings (it writes `.yaml`; dcp's stack names need no escaping). */
function settingsPath(stack: StackOperations): string {
  return join(stack.workspace.workDir, `Pulumi.${stack.name}.yaml`);
}

/**
 * Writes the StackConfig into the stack's settings file rather than through
 * `setConfig`, which passes it as one command-line argument: Linux caps one argument
 * at 128 KiB, and a catalogue of a few hundred flags is past that. A plain JSON
 * string: the program's `requireObject` parses it, and history gives it back verbatim.
 * The file's other keys (the passphrase backend's salt) are kept.
 */
async function writeStackConfig(stack: StackOperations, config: StackConfig): Promise<void> {
  const settings = (await settingsOf(stack)) ?? {};
  await stack.workspace.saveStackSettings(stack.name, { ...settings, config: { ...settings.config, [STACK_CONFIG_KEY]: JSON.stringify(config) } });
}
