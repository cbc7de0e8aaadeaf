/**
 * The Automation API faked at method level: a Stack with only the methods the adapter
 * uses, and errors built by the SDK's own factory from a command result, exactly as
 * the SDK builds them from a failed `pulumi` run.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as auto from "@pulumi/pulumi/automation";
import type { EngineEvent, OutputMap, PreviewOptions, RefreshOptions, StackSettings, UpdateSummary, UpOptions } from "@pulumi/pulumi/automation";
import type { StackOperations } from "../../cli/engine/pulumi-engine";

export { sampleConfig } from "./sample-config";

/** Runtime exports of the SDK that its typings mark internal. */
const internals = auto as unknown as {
  CommandResult: new (stdout: string, stderr: string, code: number, err?: Error) => unknown;
  createCommandError(result: unknown): Error;
};

export function commandError(stderr: string, code = 255): Error {
  return internals.createCommandError(new internals.CommandResult("", stderr, code));
}

/** One directory for every fake stack of the test run, removed when the run ends: a suite makes hundreds. */
let projectsRoot: string | undefined;
function projectDirectory(): string {
  if (projectsRoot === undefined) {
    const root = (projectsRoot = mkdtempSync(join(tmpdir(), "dcp-fake-stacks-")));
    process.once("exit", () => rmSync(root, { recursive: true, force: true }));
  }
  return mkdtempSync(join(projectsRoot, "stack-"));
}

export class FakeStack implements StackOperations {
  readonly config = new Map<string, string>();
  readonly calls: string[] = [];
  previewEvents: Partial<EngineEvent>[] = [];
  upEvents: Partial<EngineEvent>[] = [];
  previewError: Error | undefined;
  upError: Error | undefined;
  refreshError: Error | undefined;
  upOutputs: OutputMap = {};
  storedOutputs: OutputMap = {};
  updates: UpdateSummary[] = [];
  lastPreviewOptions: PreviewOptions | undefined;
  lastUpOptions: UpOptions | undefined;
  lastRefreshOptions: RefreshOptions | undefined;

  constructor(readonly name: string) {}

  /**
   * Set when the adapter removed the stack (`pulumi stack rm`): the CLI then answers every
   * command on it with "no stack named … found", as it does until the stack is created again.
   */
  removed = false;

  private ensureExists(): void {
    if (this.removed) throw commandError(`error: no stack named '${this.name}' found`);
  }

  /** The project directory, holding this stack's settings file as LocalWorkspace would. */
  private readonly workDir = projectDirectory();

  /** The stack's settings file (Pulumi.<stack>.yaml), as LocalWorkspace reads and writes it; undefined when there is none. */
  get settingsFile(): StackSettings | undefined {
    const path = this.settingsPath;
    return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as StackSettings) : undefined;
  }

  set settingsFile(settings: StackSettings | undefined) {
    if (settings === undefined) rmSync(this.settingsPath, { force: true });
    else writeFileSync(this.settingsPath, JSON.stringify(settings));
  }

  private get settingsPath(): string {
    return join(this.workDir, `Pulumi.${this.name}.yaml`);
  }

  readonly workspace = {
    workDir: this.workDir,
    stackSettings: async (name: string): Promise<StackSettings> => {
      if (name !== this.name) throw new Error(`asked for ${name}'s settings from ${this.name}`);
      const settings = this.settingsFile;
      if (settings === undefined) throw new Error(`failed to find stack settings file in workdir: ${this.workDir}`);
      return settings;
    },
    saveStackSettings: async (name: string, settings: StackSettings): Promise<void> => {
      if (name !== this.name) throw new Error(`wrote ${name}'s settings through ${this.name}`);
      this.calls.push("saveStackSettings");
      this.settingsFile = settings;
      for (const [key, value] of Object.entries(settings.config ?? {})) this.config.set(key, value as string);
    },
    removeStack: async (name: string): Promise<void> => {
      if (name !== this.name) throw new Error(`removed ${name} through ${this.name}`);
      this.calls.push("removeStack");
      this.removed = true;
      this.settingsFile = undefined;
    },
  };

  async preview(options?: PreviewOptions) {
    this.ensureExists();
    this.calls.push("preview");
    this.lastPreviewOptions = options;
    this.previewEvents.forEach((event, sequence) => options?.onEvent?.({ sequence, timestamp: 0, ...event }));
    if (this.previewError) throw this.previewError;
    return { stdout: "", stderr: "", changeSummary: { create: 2, same: 5 } };
  }

  async up(options?: UpOptions) {
    this.ensureExists();
    this.calls.push("up");
    this.lastUpOptions = options;
    this.upEvents.forEach((event, sequence) => options?.onEvent?.({ sequence, timestamp: 0, ...event }));
    if (this.upError) throw this.upError;
    const summary = update(this.updates.length + 1, this.config.get("dcp:stack"));
    this.updates.push(summary);
    return { stdout: "", stderr: "", outputs: this.upOutputs, summary };
  }

  async outputs(): Promise<OutputMap> {
    this.ensureExists();
    return this.storedOutputs;
  }

  /**
   * Newest first, as `pulumi stack history --json` lists them. As the SDK does, secrets are
   * shown unless `showSecrets` is false; the CLI then prints a secret config entry without
   * its value.
   */
  async history(_pageSize?: number, _page?: number, showSecrets?: boolean): Promise<UpdateSummary[]> {
    this.ensureExists();
    const shown = showSecrets ?? true;
    return [...this.updates].reverse().map((summary) => ({
      ...summary,
      config: Object.fromEntries(
        Object.entries(summary.config).map(([key, entry]) => [key, entry.secret && !shown ? ({ secret: true } as typeof entry) : entry]),
      ),
    }));
  }

  async previewRefresh(options?: RefreshOptions) {
    this.ensureExists();
    this.calls.push("previewRefresh");
    this.lastRefreshOptions = options;
    this.previewEvents.forEach((event, sequence) => options?.onEvent?.({ sequence, timestamp: 0, ...event }));
    if (this.refreshError) throw this.refreshError;
    return { stdout: "", stderr: "", changeSummary: {} };
  }
}

/** An update as `pulumi stack history --json` reports one, once the SDK has parsed it. */
export function update(version: number, stackConfigJson: string | undefined): UpdateSummary {
  return {
    kind: "update",
    startTime: new Date(Date.UTC(2026, 10, 1, 12, version)),
    endTime: new Date(Date.UTC(2026, 10, 1, 12, version, 30)),
    message: "dcp release",
    environment: { "git.author": "Ada <ada@example.com>", "git.head": "abc123", "ci.system": "GitHub" },
    config: stackConfigJson === undefined ? {} : { "dcp:stack": { value: stackConfigJson, secret: false } },
    result: "succeeded",
    version,
  };
}

export function policyEvent(level: string, policyName: string, resourceUrn?: string): Partial<EngineEvent> {
  return {
    policyEvent: {
      policyName,
      policyPackName: "dcp",
      policyPackVersion: "0.1.0",
      policyPackVersionTag: "0.1.0",
      message: `${policyName} was violated\n`,
      color: "never",
      // The engine sends levels the SDK's type does not list.
      enforcementLevel: level as "mandatory",
      ...(resourceUrn ? { resourceUrn } : {}),
    },
  };
}
