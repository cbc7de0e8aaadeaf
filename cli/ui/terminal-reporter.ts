/**
 * The pipeline's events drawn for a person at a terminal: a spinner line per stack
 * (or wave bake) in progress, a permanent line per thing done, and a summary table
 * at the end. ora is ESM-only and only needed here, so it is loaded on first use.
 */
import type { Ora } from "ora";
import type { PipelineEvent } from "../pipeline/events";
import { describeHolder } from "../pipeline/lease";
import type { Reporter, StageLease } from "../pipeline/ports";
import { redactAll } from "../redact";
import { renderStageValueDiff } from "./diff-view";
import { renderTable } from "./table";
import { bold, dim, green, red, yellow } from "./style";

interface StackLine {
  state: string;
  releaseId?: string;
  detail?: string;
}

export async function createTerminalReporter(stream: NodeJS.WriteStream = process.stderr): Promise<Reporter> {
  const { default: ora } = await import("ora");
  return new TerminalReporter(ora({ stream, discardStdin: false }), stream);
}

export class TerminalReporter implements Reporter {
  /** What is in progress, keyed by stack or wave: one spinner line each. */
  private readonly active = new Map<string, string>();
  private readonly stacks = new Map<string, StackLine>();

  constructor(
    private readonly spinner: Ora,
    private readonly stream: NodeJS.WriteStream,
  ) {}

  emit(raw: PipelineEvent): void {
    const event = redactAll(raw);
    const s = this.stream;
    switch (event.type) {
      case "release-started":
        return this.print(bold(`${event.dryRun ? "Previewing" : "Releasing"} ${event.workload}: ${event.stages.join(" → ")}`, s));
      case "stage-started":
        return this.print(`\n${bold(`▶ ${event.stage}`, s)}`);
      case "stage-skipped":
        return this.print(dim(`  ${event.stage}: ${event.reason}`, s));
      case "values-diff":
        return this.print(renderStageValueDiff(event.diff, s).replace(/^/gm, "  "));
      case "approval-required":
        return this.print(yellow(`  ⏸ ${event.stage} needs approval${event.summary ? `: ${event.summary}` : ""}`, s));
      case "approved":
        return this.print(`  ${green("✔", s)} ${event.stage} approved${event.by === "flag" ? " (--approve)" : ""}`);
      case "wave-started":
        return this.print(`  wave ${bold(event.wave, s)}: ${event.stacks.join(", ")}`);
      case "stack-previewing":
        return this.start(event.stack, `${event.stack}  previewing ${event.releaseId}`);
      case "preview-done":
        return this.done(event.stack, `${green("✔", s)} ${event.stack}  preview: ${describeChanges(event.changes)}${event.violations > 0 ? yellow(`, ${event.violations} policy finding(s)`, s) : ""}`);
      case "policy-violation": {
        const v = event.violation;
        const mark = v.level === "mandatory" ? red("✖ mandatory", s) : yellow(`⚠ ${v.level}`, s);
        return this.print(`    ${mark} [${v.policy}] ${v.stack}: ${v.message}`);
      }
      case "stack-skipped":
        this.stacks.set(event.stack, { state: "unchanged", releaseId: event.releaseId, detail: event.reason });
        return this.print(dim(`    ${event.stack}  ${event.reason} (${event.releaseId})`, s));
      case "stack-updating":
        return this.start(event.stack, `${event.stack}  updating ${event.from ?? "(new)"} → ${event.releaseId}`);
      case "stack-updated":
        this.stacks.set(event.stack, { state: green("updated", s), releaseId: event.releaseId });
        return this.done(event.stack, `${green("✔", s)} ${event.stack}  updated to ${event.releaseId}`);
      case "stack-failed":
        this.stacks.set(event.stack, { state: red("failed", s), detail: event.message });
        return this.done(event.stack, `${red("✖", s)} ${event.stack}  ${event.message}`);
      case "appconfig-deploying":
        return this.start(event.stack, `${event.stack}  AppConfig deploying ${event.profile} (#${event.deploymentNumber})`);
      case "appconfig-deployed":
        return this.print(dim(`    ${event.stack}  ${event.profile} deployment #${event.deploymentNumber} ${event.state}`, s));
      case "appconfig-stopped":
        return this.print(yellow(`    ${event.stack}  stopped AppConfig deployment #${event.deploymentNumber}`, s));
      case "profiles-emptied":
        return this.print(dim(`    ${event.stack}  deleted the hosted versions of ${event.profiles.join(", ")}, which this release removes`, s));
      case "bake-started":
        return this.start(bakeKey(event), `wave ${event.wave}  baking ${event.minutes} min`);
      case "bake-progress":
        return this.start(bakeKey(event), `wave ${event.wave}  baking ${minutes(event.elapsedMs)}/${minutes(event.totalMs)} min`);
      case "bake-done":
        return this.done(bakeKey(event), `${green("✔", s)} wave ${event.wave} baked healthy`);
      case "unhealthy":
        if (event.stage !== undefined && event.wave !== undefined) this.active.delete(bakeKey({ stage: event.stage, wave: event.wave }));
        return this.print(event.reasons.map((r) => red(`  ✖ ${r.stack}: ${r.kind} ${r.subject}: ${r.detail}`, s)).join("\n"));
      case "rollback-started":
        return this.print(yellow(`  ↩ rolling back ${event.stacks.join(", ") || "nothing"}${event.reason ? ` (${event.reason})` : ""}`, s));
      case "program-revision":
        return this.print(dim(`    ${event.stack} was released from ${event.gitCommit}: ${event.usingCurrentProgram ? "using the current program (--current-program)" : "running that revision's program"}`, s));
      case "stack-rolling-back":
        return this.start(event.stack, `${event.stack}  rolling back ${event.from ?? ""} → ${event.releaseId}`);
      case "rolled-back":
        this.stacks.set(event.stack, { state: yellow("rolled back", s), releaseId: event.releaseId });
        return this.done(event.stack, `${yellow("↩", s)} ${event.stack}  rolled back to ${event.releaseId}`);
      case "rollback-failed":
        this.stacks.set(event.stack, { state: red("ROLLBACK FAILED", s), ...(event.holds !== undefined && { releaseId: event.holds }), detail: event.message });
        return this.done(event.stack, `${red("✖", s)} ${event.stack}  rollback failed: ${event.message}`);
      case "interrupt-requested":
        return this.print(yellow(`  ⏹ ${event.message}`, s));
      case "interrupted":
        for (const h of event.stacks) {
          const line = this.stacks.get(h.stack);
          this.stacks.set(h.stack, { ...line, state: line?.state ?? "unchanged", ...(h.releaseId !== undefined && { releaseId: h.releaseId }) });
        }
        return;
      case "lease-taken":
        return event.lease.replaced === undefined ? undefined : this.print(yellow(`  ⚑ ${describeReplacement(event.lease)}`, s));
      case "lease-lost":
      case "lease-not-released":
        return this.print(yellow(`  ⚑ ${event.message}`, s));
      case "lease-handover":
        return this.print(yellow(`  ⚑ ${describeHandover(event.state, event.stage, event.previous)}`, s));
      case "lease-refused":
      case "stage-done":
        return;
      case "finished":
        return this.finish(event.exitCode);
    }
  }

  private start(key: string, text: string): void {
    this.active.set(key, text);
    this.redraw();
  }

  private done(key: string, line: string): void {
    this.active.delete(key);
    this.print(line);
  }

  /** A permanent line above the spinner lines. */
  private print(line: string): void {
    if (this.spinner.isSpinning) this.spinner.clear();
    this.stream.write(`${line}\n`);
    this.redraw();
  }

  private redraw(): void {
    if (this.active.size === 0) {
      if (this.spinner.isSpinning) this.spinner.stop();
      return;
    }
    this.spinner.text = [...this.active.values()].join("\n  ");
    if (!this.spinner.isSpinning) this.spinner.start();
    else this.spinner.render();
  }

  private finish(exitCode: number): void {
    this.active.clear();
    this.spinner.stop();
    if (this.stacks.size > 0) {
      const rows = [...this.stacks].map(([stack, l]) => [stack, l.state, l.releaseId ?? "", l.detail ?? ""]);
      this.stream.write(`\n${renderTable(["stack", "result", "release", "detail"], rows)}\n`);
    }
    const verdict = exitCode === 0 ? green("done", this.stream) : red(`stopped (exit ${exitCode})`, this.stream);
    this.stream.write(`${verdict}\n`);
  }
}

function describeReplacement(lease: StageLease): string {
  const previous = lease.replaced?.previous;
  if (previous === undefined) return "";
  const theirs = `${describeHolder(previous)}, held since ${previous.since}`;
  if (lease.replaced?.how === "taken-over") return `took over ${lease.stage} from ${theirs}: it stops at its next check`;
  return `broke the lease of ${lease.stage} of ${theirs}: "${lease.replaced?.reason ?? ""}"`;
}

function describeHandover(state: "waiting" | "stopped" | "gave-up", stage: string, previous: Omit<StageLease, "replaced">): string {
  const run = describeHolder(previous);
  if (state === "waiting") return `waiting for ${run} to stop: it finishes the stack updates it started on ${stage}`;
  return state === "stopped" ? `${run} has stopped` : `${run} did not confirm it stopped: rolling back ${stage} anyway`;
}

function bakeKey(event: { stage: string; wave: string }): string {
  return `bake:${event.stage}/${event.wave}`;
}

function minutes(ms: number): number {
  return Math.round(ms / 60_000);
}

export function describeChanges(changes: Record<string, number>): string {
  const parts = Object.entries(changes)
    .filter(([op, n]) => op !== "same" && n > 0)
    .map(([op, n]) => `${n} to ${op}`);
  return parts.length > 0 ? parts.join(", ") : "no changes";
}
