/**
 * A preview's or release's story as Markdown for CI (`--markdown <file>`): per stage the
 * values it changes, then each wave's stacks and what became of them, the policy
 * results, and how the run ended. Built from the events the pipeline emits, so it
 * tells what happened, not what was planned.
 */
import type { PipelineEvent } from "../pipeline/events";
import type { PolicyViolation, Reporter } from "../pipeline/ports";
import { redactAll } from "../redact";
import { cell, code, markdownTable, stageValueDiffMarkdown } from "./markdown";
import { describeChanges } from "./terminal-reporter";

interface WaveStory {
  stage: string;
  wave: string;
  stacks: string[];
  bake?: string;
}

/** Passes every event on to `inner`, and keeps it for the Markdown. */
export class MarkdownRecorder implements Reporter {
  private readonly events: PipelineEvent[] = [];

  constructor(private readonly inner: Reporter) {}

  emit(event: PipelineEvent): void {
    this.events.push(redactAll(event));
    this.inner.emit(event);
  }

  render(title: string): string {
    return renderRun(title, this.events);
  }
}

export function renderRun(title: string, events: PipelineEvent[]): string {
  const outcome = new Map<string, string>();
  const waves: WaveStory[] = [];
  const violations: PolicyViolation[] = [];
  const sections: string[] = [`## ${title}`, ""];
  const stageNotes = new Map<string, string[]>();
  const note = (stage: string, text: string) => stageNotes.set(stage, [...(stageNotes.get(stage) ?? []), text]);
  let finished: Extract<PipelineEvent, { type: "finished" }> | undefined;
  for (const event of events) {
    switch (event.type) {
      case "values-diff":
        note(event.diff.stage, stageValueDiffMarkdown(event.diff));
        break;
      case "stage-skipped":
        note(event.stage, `**${event.stage}** skipped: ${cell(event.reason)}\n`);
        break;
      case "approved":
        note(event.stage, `**${event.stage}** approved ${event.by === "flag" ? "with --approve" : "at the prompt"}\n`);
        break;
      case "wave-started":
        waves.push({ stage: event.stage, wave: event.wave, stacks: event.stacks });
        break;
      case "preview-done":
        outcome.set(event.stack, `previewed: ${describeChanges(event.changes)}`);
        break;
      case "stack-skipped":
        outcome.set(event.stack, `unchanged: ${event.reason}`);
        break;
      case "stack-updated":
        outcome.set(event.stack, `updated to ${code(event.releaseId)}`);
        break;
      case "stack-failed":
        outcome.set(event.stack, `**failed**: ${cell(event.message)}`);
        break;
      case "rolled-back":
        outcome.set(event.stack, `**rolled back** to ${code(event.releaseId)}`);
        break;
      case "rollback-failed":
        outcome.set(event.stack, `**ROLLBACK FAILED**: ${cell(event.message)}`);
        break;
      case "policy-violation":
        violations.push(event.violation);
        break;
      case "bake-done":
        setBake(waves, event.stage, event.wave, "baked healthy");
        break;
      case "unhealthy":
        if (event.stage !== undefined && event.wave !== undefined) {
          setBake(waves, event.stage, event.wave, `**unhealthy**: ${cell(event.reasons.map((r) => `${r.stack} ${r.kind} ${r.subject}: ${r.detail}`).join("; "))}`);
        }
        break;
      case "finished":
        finished = event;
        break;
      default:
        break;
    }
  }
  const stages = [...new Set([...stageNotes.keys(), ...waves.map((w) => w.stage)])];
  for (const stage of stages) {
    sections.push(...(stageNotes.get(stage) ?? []));
    const rows = waves
      .filter((w) => w.stage === stage)
      .flatMap((w) => w.stacks.map((stack, i) => [i === 0 ? cell(w.wave) : "", cell(stack), outcome.get(stack) ?? "not reached", i === 0 ? (w.bake ?? "") : ""]));
    if (rows.length > 0) sections.push(`#### ${stage}: waves`, "", markdownTable(["Wave", "Stack", "Outcome", "Bake"], rows), "");
  }
  sections.push("### Policy results", "");
  sections.push(
    violations.length === 0
      ? "No policy finding.\n"
      : `${markdownTable(
          ["Level", "Policy", "Stack", "Resource", "Message"],
          violations.map((v) => [v.level === "mandatory" ? "**mandatory**" : v.level, code(v.policy), cell(v.stack), v.resource ? code(v.resource) : "", cell(v.message)]),
        )}\n`,
  );
  sections.push(
    finished === undefined ? "**Did not finish.**" : finished.exitCode === 0 ? "**Succeeded.**" : `**Failed (exit ${finished.exitCode})**: ${cell(finished.message ?? "")}`,
    "",
  );
  return sections.join("\n");
}

function setBake(waves: WaveStory[], stage: string, wave: string, text: string): void {
  const story = waves.findLast((w) => w.stage === stage && w.wave === wave);
  if (story !== undefined) story.bake = text;
}
