/**
 * `dcp release`: stages in order up to --to, each wave previewed with the policy pack,
 * updated concurrently, then baked; a failed update or an unhealthy bake rolls back
 * what this run changed in the stage and stops.
 */
import type { StackOutputs } from "../../infra/outputs";
import type { Envs, ResolvedStack } from "../config/model";
import { BakeFailedError, DeploymentError, InterruptedError, StackLockedError, UsageError } from "../errors";
import { applyStack, fullyDeployed } from "./apply-stack";
import { bake } from "./bake";
import { messageOf, rejections, settleBounded } from "./concurrency";
import { reportingFinish } from "./finish";
import type { Interrupts } from "./interrupts";
import { leaseRequest, withStageLease, type HeldLease } from "./lease";
import { stampRelease, type ReleaseContext } from "./metadata";
import { planRelease, stackRefOf, type Plan, type PlannedStage, type PlannedWave } from "./plan";
import type { HealthReason, PipelinePorts, PolicyPackConfig, PolicyViolation, WatchTarget } from "./ports";
import { isBlocking, policyViolationError, previewWave, type PreviewItem } from "./preview";
import { describeOutcomes, restore, restoreFailed, rollbackError, targetsBefore } from "./restore";
import { soakRefusal } from "./soak";

export type RollbackScope = "wave" | "stage";

export interface ReleaseOptions {
  to: string;
  stage?: string;
  region?: string;
  /** Stacks updated at once within a wave; default: the whole wave. */
  parallel?: number;
  /** Preview every stage's waves, deploy nothing. */
  dryRun?: boolean;
  /** Manual stages are approved already (CI, after a person approved the run). */
  approve?: boolean;
  /** Default: pipeline.yaml's rollbackScope, else stage. */
  rollbackScope?: RollbackScope;
  /** Roll back with the working copy's program rather than the release's git revision. */
  currentProgram?: boolean;
  /** Release into stages with promotion.minSoakMinutes without waiting; the reason is recorded in every stack's release metadata. */
  skipSoak?: { reason: string };
  /** Break the stage lease of a run that died, recording why. */
  breakLease?: string;
  policyConfig: (stage: string) => PolicyPackConfig;
  context: ReleaseContext;
  interrupts?: Interrupts;
}

export interface StackResult {
  stack: string;
  stage: string;
  wave: string;
  releaseId: string;
  result: "updated" | "skipped" | "previewed";
}

export interface ReleaseSummary {
  stacks: StackResult[];
  /** Advisory ones on a release; on a dry run, every violation found. */
  violations: PolicyViolation[];
}

export async function release(envs: Envs, options: ReleaseOptions, ports: PipelinePorts): Promise<ReleaseSummary> {
  return reportingFinish(ports.reporter, async () => {
    const plan = planRelease(envs, options);
    const scope = options.rollbackScope ?? envs.pipeline.rollbackScope ?? "stage";
    return new ReleaseRun(envs, plan, scope, options, ports).run();
  });
}

/** A stack this run updated (or tried to), and what it held before, which is where a rollback returns it. */
interface Changed {
  stack: ResolvedStack;
  before: string | undefined;
}

class ReleaseRun {
  private readonly releasedAt: string;
  private readonly summary: ReleaseSummary = { stacks: [], violations: [] };
  /** What each stack held when its stage started: decides skips and metadata. */
  private readonly deployed = new Map<string, StackOutputs | undefined>();
  private readonly updated = new Map<string, StackOutputs>();
  private readonly startedStages: PlannedStage[] = [];
  private lease: HeldLease | undefined;

  constructor(
    private readonly envs: Envs,
    private readonly plan: Plan,
    private readonly scope: RollbackScope,
    private readonly options: ReleaseOptions,
    private readonly ports: PipelinePorts,
  ) {
    this.releasedAt = new Date(ports.clock.now()).toISOString();
  }

  private get stopping(): AbortSignal | undefined {
    const signals = [this.options.interrupts?.stopping, this.lease?.lost].filter((s) => s !== undefined);
    return signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  }

  async run(): Promise<ReleaseSummary> {
    const { reporter } = this.ports;
    reporter.emit({ type: "release-started", workload: this.plan.workload, stages: this.plan.stages.map((s) => s.name), dryRun: !!this.options.dryRun });
    this.requireWayToApprove();
    const interrupts = this.options.interrupts;
    const onStop = () =>
      reporter.emit({ type: "interrupt-requested", action: "stopping", message: "finishing the running updates, then stopping; interrupt again to cancel them" });
    const onCancel = () => reporter.emit({ type: "interrupt-requested", action: "cancelling", message: "cancelling the running updates" });
    interrupts?.stopping.addEventListener("abort", onStop, { once: true });
    interrupts?.cancelling.addEventListener("abort", onCancel, { once: true });
    try {
      for (const stage of this.plan.stages) {
        // A dry run changes nothing, so it takes no lease.
        const request = this.options.dryRun ? undefined : leaseRequest(stage.name, "release", this.options.breakLease);
        await withStageLease(request, this.ports, async (held) => {
          this.lease = held;
          await this.releaseStage(stage);
        });
      }
    } finally {
      interrupts?.stopping.removeEventListener("abort", onStop);
      interrupts?.cancelling.removeEventListener("abort", onCancel);
    }
    if (this.options.dryRun && this.summary.violations.some(isBlocking)) {
      throw policyViolationError("the dry run", this.summary.violations);
    }
    return this.summary;
  }

  /** Fail before deploying anything rather than after hours of baking the earlier stages. */
  private requireWayToApprove(): void {
    if (this.options.dryRun || this.options.approve || this.ports.approver) return;
    const manual = this.plan.stages.filter((s) => s.approval === "manual").map((s) => s.name);
    if (manual.length === 0) return;
    throw new UsageError(
      `${manual.join(", ")} ${manual.length === 1 ? "needs" : "need"} a person's approval and there is no terminal to ask on: ` +
        "pass --approve (in CI, once a person has approved the run), or run dcp release on a terminal. Nothing was deployed.",
    );
  }

  private async releaseStage(stage: PlannedStage): Promise<void> {
    await this.stopIfInterrupted();
    const stacks = stage.waves.flatMap((w) => w.stacks);
    const outputs = await Promise.all(stacks.map((s) => this.ports.engine.outputs(stackRefOf(s))));
    stacks.forEach((s, i) => this.deployed.set(s.name, outputs[i]));
    const pending = stacks.filter((s) => !this.holdsRelease(s));
    if (pending.length === 0) {
      for (const wave of stage.waves) for (const s of wave.stacks) this.record(s, "skipped");
      this.ports.reporter.emit({ type: "stage-skipped", stage: stage.name, reason: "every stack already holds this release" });
      return;
    }
    // A dry run deploys nothing, so nothing has to have soaked; checked before anyone is asked to approve.
    if (!this.options.dryRun && this.options.skipSoak === undefined) {
      const refusal = await soakRefusal(this.envs, stage.name, pending, this.ports);
      if (refusal !== undefined) throw new UsageError(`${refusal}${this.releasedStagesNote()}`);
    }
    if (!this.options.dryRun) await this.approve(stage, pending);
    this.startedStages.push(stage);
    this.ports.reporter.emit({ type: "stage-started", stage: stage.name });
    const stageChanged: Changed[] = [];
    for (const wave of stage.waves) await this.releaseWave(stage, wave, stageChanged);
    this.ports.reporter.emit({ type: "stage-done", stage: stage.name });
  }

  private async approve(stage: PlannedStage, pending: ResolvedStack[]): Promise<void> {
    if (stage.approval !== "manual") return;
    const { reporter, approver } = this.ports;
    const summary = `${stage.name}: ${pending.length} stack(s) change in ${stage.waves.length} wave(s): ${stage.waves
      .map((w) => `${w.name} [${w.stacks.map((s) => s.region).join(", ")}]`)
      .join(" → ")}`;
    reporter.emit({ type: "approval-required", stage: stage.name, summary });
    if (this.options.approve) {
      reporter.emit({ type: "approved", stage: stage.name, by: "flag" });
      return;
    }
    if (approver === undefined || !(await approver.approve(stage.name, summary))) {
      throw new UsageError(`${stage.name} was not approved; nothing was deployed to it${this.releasedStagesNote()}.`);
    }
    reporter.emit({ type: "approved", stage: stage.name, by: "prompt" });
  }

  private async releaseWave(stage: PlannedStage, wave: PlannedWave, stageChanged: Changed[]): Promise<void> {
    await this.stopIfInterrupted();
    const { reporter } = this.ports;
    reporter.emit({ type: "wave-started", stage: stage.name, wave: wave.name, stacks: wave.stacks.map((s) => s.name) });
    const todo: ResolvedStack[] = [];
    for (const s of wave.stacks) {
      if (!this.holdsRelease(s)) todo.push(s);
      else {
        reporter.emit({ type: "stack-skipped", stack: s.name, releaseId: s.releaseId, reason: "already holds this release" });
        this.record(s, "skipped");
      }
    }
    if (todo.length === 0) return;
    const parallel = Math.max(1, this.options.parallel ?? todo.length);
    const items = todo.map((s) => ({
      stack: stackRefOf(s),
      config: stampRelease(s.config, this.options.context, this.releasedAt, this.deployed.get(s.name), this.options.skipSoak?.reason),
    }));
    const cancelling = this.options.interrupts?.cancelling;
    const previewOptions = { parallel, policyConfig: this.options.policyConfig(stage.name), ...(cancelling && { cancelling }) };
    const violations = await previewWave(items, previewOptions, this.ports);
    this.summary.violations.push(...violations);
    if (this.options.dryRun) {
      for (const s of todo) this.record(s, "previewed");
      return;
    }
    if (violations.some(isBlocking)) throw policyViolationError(`${stage.name} wave ${wave.name}`, violations);
    await this.stopIfInterrupted();

    const waveChanged: Changed[] = [];
    const waveProgress = { failed: false };
    const results = await settleBounded(todo.map((s, i) => ({ s, item: items[i] as PreviewItem })), parallel, ({ s, item }) =>
      this.update(s, item, previewOptions.policyConfig, waveChanged, waveProgress),
    );
    stageChanged.push(...waveChanged);
    if (this.stopping?.aborted) await this.stopIfInterrupted();
    const failures = rejections(results);
    if (failures.length > 0) {
      const lines = failures.map((f) => `  ${messageOf(f)}`);
      await this.rollBackAndThrow(stage, wave, waveChanged, stageChanged, `release of ${stage.name} wave ${wave.name} failed:\n${lines.join("\n")}`, DeploymentError);
    }

    const targets: WatchTarget[] = items.map((item) => ({ ...item, outputs: this.updated.get(item.stack.name) as StackOutputs }));
    const verdict = await bake(wave, targets, this.ports, this.stopping);
    if ("interrupted" in verdict) await this.stopIfInterrupted();
    else if (!verdict.healthy) {
      const lines = verdict.reasons.map(describeReason);
      await this.rollBackAndThrow(stage, wave, waveChanged, stageChanged, `bake of ${stage.name} wave ${wave.name} failed:\n${lines.join("\n")}`, BakeFailedError);
    }
  }

  private async update(
    s: ResolvedStack,
    item: PreviewItem,
    policyConfig: PolicyPackConfig,
    waveChanged: Changed[],
    wave: { failed: boolean },
  ): Promise<void> {
    // Stacks not yet started when a sibling fails or an interrupt arrives stay as they are: less to roll back.
    if (wave.failed || this.stopping?.aborted) return;
    const { reporter } = this.ports;
    const before = this.deployed.get(s.name)?.releaseId;
    const cancelling = this.options.interrupts?.cancelling;
    reporter.emit({ type: "stack-updating", stack: s.name, releaseId: s.releaseId, ...(before !== undefined && { from: before }) });
    try {
      const result = await applyStack(
        item.stack,
        item.config,
        { engine: { policyConfig, ...(cancelling && { signal: cancelling }) }, before: this.deployed.get(s.name), ...(this.stopping && { stopping: this.stopping }) },
        this.ports,
      );
      waveChanged.push({ stack: s, before });
      this.updated.set(s.name, result.outputs);
      reporter.emit({ type: "stack-updated", stack: s.name, releaseId: s.releaseId, changes: result.changes });
      this.record(s, "updated");
    } catch (error) {
      // A lock means the update never started; any other failure may have changed part of the stack.
      if (!(error instanceof StackLockedError)) waveChanged.push({ stack: s, before });
      wave.failed = true;
      reporter.emit({ type: "stack-failed", stack: s.name, message: messageOf(error) });
      throw new DeploymentError(`${s.name}: ${messageOf(error)}`);
    }
  }

  private async rollBackAndThrow(
    stage: PlannedStage,
    wave: PlannedWave,
    waveChanged: Changed[],
    stageChanged: Changed[],
    cause: string,
    failure: typeof DeploymentError | typeof BakeFailedError,
  ): Promise<never> {
    const { engine, reporter } = this.ports;
    const changed = this.scope === "wave" ? waveChanged : stageChanged;
    reporter.emit({ type: "rollback-started", stacks: changed.map((c) => c.stack.name), reason: cause.split("\n")[0] });
    const targets = await targetsBefore(
      changed.map(({ stack, before }) => ({ stack: stackRefOf(stack), before, releasing: stack.releaseId })),
      engine,
    );
    const outcomes = await restore(
      targets,
      {
        policyConfig: this.options.policyConfig,
        context: this.options.context,
        // Its own time, not the run's: `rollback --to` finds a release run by its releasedAt.
        releasedAt: new Date(this.ports.clock.now()).toISOString(),
        ...(this.options.currentProgram !== undefined && { currentProgram: this.options.currentProgram }),
        ...(this.options.interrupts && { cancelling: this.options.interrupts.cancelling }),
      },
      this.ports,
    );
    const kept = stageChanged.filter((c) => !changed.includes(c)).map((c) => c.stack.name);
    const keptNote = kept.length > 0 ? `\nKept by rollbackScope: wave (earlier waves of ${stage.name} baked cleanly): ${kept.join(", ")}` : "";
    if (restoreFailed(outcomes)) {
      throw rollbackError(`${cause}\nThe automatic rollback failed: a human is needed.${keptNote}${this.releasedStagesNote(stage)}`, outcomes);
    }
    const rolledBack = outcomes.length > 0 ? describeOutcomes(outcomes).map((l) => `  ${l}`).join("\n") : "  nothing had changed";
    throw new failure(`${cause}\nRolled back (rollbackScope: ${this.scope}, wave ${wave.name}):\n${rolledBack}${keptNote}${this.releasedStagesNote(stage)}`);
  }

  private async stopIfInterrupted(): Promise<void> {
    if (!this.stopping?.aborted) return;
    this.lease?.throwIfLost();
    const stacks = this.startedStages.flatMap((stage) => stage.waves.flatMap((w) => w.stacks));
    const holdings = await Promise.all(
      stacks.map(async (s) => {
        const outputs = await this.ports.engine.outputs(stackRefOf(s)).catch(() => undefined);
        const releaseId = outputs?.releaseId;
        return { stack: s.name, ...(releaseId !== undefined && { releaseId }), current: releaseId === s.releaseId };
      }),
    );
    this.ports.reporter.emit({ type: "interrupted", stacks: holdings });
    const lines = holdings.map((h) => `  ${h.stack}: ${h.releaseId ?? "never released"}${h.current ? " (this release)" : " (previous release)"}`);
    const cancelled = this.options.interrupts?.cancelling.aborted ? "running updates were cancelled and may be partly applied" : "running updates finished";
    throw new InterruptedError(
      [`interrupted: nothing new was started, ${cancelled}.`, ...(lines.length > 0 ? ["Stacks hold:", ...lines] : []), "Run the same `dcp release` again to finish (stacks that hold the release are skipped), or `dcp rollback <stage>` to undo."].join("\n"),
    );
  }

  private holdsRelease(s: ResolvedStack): boolean {
    const outputs = this.deployed.get(s.name);
    return outputs?.releaseId === s.releaseId && fullyDeployed(outputs);
  }

  private record(s: ResolvedStack, result: StackResult["result"]): void {
    this.summary.stacks.push({ stack: s.name, stage: s.stage, wave: s.wave, releaseId: s.releaseId, result });
  }

  private releasedStagesNote(current?: PlannedStage): string {
    const earlier = this.startedStages.filter((s) => s !== current).map((s) => s.name);
    return earlier.length > 0 ? `\nEarlier stages keep the release: ${earlier.join(", ")}` : "";
  }
}

function describeReason(reason: HealthReason): string {
  return `  ${reason.stack}: ${reason.kind} ${reason.subject}: ${reason.detail}`;
}
