/**
 * `dcp release`: stages in order up to --to, each wave previewed with the policy pack,
 * updated concurrently, then baked; a failed update or an unhealthy bake rolls back
 * every stack of the stage holding the release and stops. A stack is done with a
 * release once the release has baked healthy on it (recorded in its ledger), so a
 * re-run after an interruption bakes what was never baked.
 */
import type { StackOutputs } from "../../infra/outputs";
import type { Envs, ResolvedStack } from "../config/model";
import { placementOf } from "../config/resolve";
import { BakeFailedError, DeploymentError, InterruptedError, UsageError } from "../errors";
import { applyStack, fullyDeployed } from "./apply-stack";
import { bake } from "./bake";
import { messageOf, rejections, settleBounded } from "./concurrency";
import { reportingFinish } from "./finish";
import type { Interrupts } from "./interrupts";
import { recordBaked } from "./bake-record";
import { standingOf, type ReleaseStanding } from "./history";
import { leaseRequest, withStageLease, type HeldLease } from "./lease";
import { stampRelease, type ReleaseContext } from "./metadata";
import { planRelease, stackRefOf, type Plan, type PlannedStage, type PlannedWave } from "./plan";
import type { HealthReason, PipelinePorts, PolicyPackConfig, PolicyViolation, WatchTarget } from "./ports";
import { isBlocking, policyViolationError, previewWave, type PreviewItem } from "./preview";
import { describeOutcomes, readLedger, restore, restoreFailed, rollbackError, targetsHolding, type StackLedger } from "./restore";
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
  /** "baked": it held the release already, and this run baked it. */
  result: "updated" | "baked" | "skipped" | "previewed";
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

/** Where a stack stands with the release when its stage starts. */
interface Standing {
  ledger: StackLedger;
  state: ReleaseStanding;
}

class ReleaseRun {
  private readonly releasedAt: string;
  private readonly summary: ReleaseSummary = { stacks: [], violations: [] };
  /** Where each stack stood when its stage started: decides what is updated, baked and skipped. */
  private readonly standings = new Map<string, Standing>();
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
    const ledgers = await Promise.all(stacks.map((s) => readLedger(stackRefOf(s), this.ports.engine)));
    stacks.forEach((s, i) => {
      const ledger = ledgers[i] as StackLedger;
      const state = standingOf(ledger.position, s.releaseId);
      // An update interrupted between its AppConfig deployments holds the release but has profiles left to deploy.
      const unfinished = state === "unbaked" && ledger.outputs !== undefined && !fullyDeployed(ledger.outputs);
      this.standings.set(s.name, { ledger, state: unfinished ? "pending" : state });
    });
    const pending = stacks.filter((s) => this.stateOf(s) === "pending");
    if (stacks.every((s) => this.stateOf(s) === "baked")) {
      for (const wave of stage.waves) for (const s of wave.stacks) this.record(s, "skipped");
      this.ports.reporter.emit({ type: "stage-skipped", stage: stage.name, reason: "this release has baked healthy on every stack" });
      return;
    }
    // A dry run deploys nothing, so nothing has to have soaked; checked before anyone is asked to approve.
    if (!this.options.dryRun && this.options.skipSoak === undefined && pending.length > 0) {
      const refusal = await soakRefusal(this.envs, stage.name, pending, this.ports);
      if (refusal !== undefined) throw new UsageError(`${refusal}${this.releasedStagesNote()}`);
    }
    // Baking what an earlier run deployed changes nothing: only an update needs the approval.
    if (!this.options.dryRun && pending.length > 0) await this.approve(stage, pending);
    this.startedStages.push(stage);
    this.ports.reporter.emit({ type: "stage-started", stage: stage.name });
    for (const wave of stage.waves) await this.releaseWave(stage, wave);
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

  private async releaseWave(stage: PlannedStage, wave: PlannedWave): Promise<void> {
    await this.stopIfInterrupted();
    const { reporter } = this.ports;
    reporter.emit({ type: "wave-started", stage: stage.name, wave: wave.name, stacks: wave.stacks.map((s) => s.name) });
    const todo = wave.stacks.filter((s) => this.stateOf(s) === "pending");
    const unbaked = wave.stacks.filter((s) => this.stateOf(s) === "unbaked");
    for (const s of wave.stacks) {
      if (this.stateOf(s) === "pending") continue;
      const baked = this.stateOf(s) === "baked";
      reporter.emit({ type: "stack-skipped", stack: s.name, releaseId: s.releaseId, reason: baked ? "this release has baked healthy on it" : "holds this release, which has not baked on it yet" });
      if (baked || this.options.dryRun) this.record(s, "skipped");
    }
    if (todo.length === 0 && (unbaked.length === 0 || this.options.dryRun)) return;
    const parallel = Math.max(1, this.options.parallel ?? wave.stacks.length);
    const items = todo.map((s) => {
      const ledger = this.standings.get(s.name)?.ledger;
      return { stack: stackRefOf(s), config: stampRelease(s.config, this.options.context, this.releasedAt, ledger?.served, this.options.skipSoak?.reason) };
    });
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

    const waveProgress = { failed: false };
    const results = await settleBounded(todo.map((s, i) => ({ s, item: items[i] as PreviewItem })), parallel, ({ s, item }) =>
      this.update(s, item, previewOptions.policyConfig, waveProgress),
    );
    if (this.stopping?.aborted) await this.stopIfInterrupted();
    const failures = rejections(results);
    if (failures.length > 0) {
      const lines = failures.map((f) => `  ${messageOf(f)}`);
      await this.rollBackAndThrow(stage, wave, `release of ${stage.name} wave ${wave.name} failed:\n${lines.join("\n")}`, DeploymentError);
    }

    const targets: WatchTarget[] = [
      ...items.map((item) => ({ ...item, outputs: this.updated.get(item.stack.name) as StackOutputs })),
      ...(await Promise.all(unbaked.map((s) => this.heldTarget(s)))),
    ];
    const verdict = await bake(wave, targets, this.ports, this.stopping);
    if ("interrupted" in verdict) await this.stopIfInterrupted();
    else if (!verdict.healthy) {
      const lines = verdict.reasons.map(describeReason);
      await this.rollBackAndThrow(stage, wave, `bake of ${stage.name} wave ${wave.name} failed:\n${lines.join("\n")}`, BakeFailedError);
    }
    await recordBaked(`${stage.name} wave ${wave.name}`, targets, { parallel, policyConfig: this.options.policyConfig(stage.name), ...(cancelling && { cancelling }) }, this.ports);
    for (const s of unbaked) this.record(s, "baked");
  }

  /** What the bake watches on a stack that an earlier run updated: the config and outputs of that update. */
  private async heldTarget(s: ResolvedStack): Promise<WatchTarget> {
    const stack = stackRefOf(s);
    const outputs = await this.ports.engine.outputs(stack);
    if (outputs === undefined) throw new DeploymentError(`${s.name}: its history says it holds ${s.releaseId}, but it has no outputs`);
    return { stack, config: this.standings.get(s.name)?.ledger.position.applied?.config ?? s.config, outputs };
  }

  private async update(
    s: ResolvedStack,
    item: PreviewItem,
    policyConfig: PolicyPackConfig,
    wave: { failed: boolean },
  ): Promise<void> {
    // Stacks not yet started when a sibling fails or an interrupt arrives stay as they are: less to roll back.
    if (wave.failed || this.stopping?.aborted) return;
    const { reporter } = this.ports;
    const ledger = this.standings.get(s.name)?.ledger;
    const before = ledger?.holds;
    const cancelling = this.options.interrupts?.cancelling;
    reporter.emit({ type: "stack-updating", stack: s.name, releaseId: s.releaseId, ...(before !== undefined && { from: before }) });
    try {
      const result = await applyStack(
        item.stack,
        item.config,
        { engine: { policyConfig, ...(cancelling && { signal: cancelling }) }, before: ledger?.outputs, ...(this.stopping && { stopping: this.stopping }) },
        this.ports,
      );
      this.updated.set(s.name, result.outputs);
      reporter.emit({ type: "stack-updated", stack: s.name, releaseId: s.releaseId, changes: result.changes });
      this.record(s, "updated");
    } catch (error) {
      wave.failed = true;
      reporter.emit({ type: "stack-failed", stack: s.name, message: messageOf(error) });
      throw new DeploymentError(`${s.name}: ${messageOf(error)}`);
    }
  }

  /**
   * Every stack of the stage (of the wave, with rollbackScope: wave) that holds the
   * release goes back to the release it held before: whichever run put it there, and
   * however much of it a failed update applied, as the stacks' histories say. A stack
   * whose update never started (it was locked) holds what it held.
   */
  private async rollBackAndThrow(stage: PlannedStage, wave: PlannedWave, cause: string, failure: typeof DeploymentError | typeof BakeFailedError): Promise<never> {
    const { engine, reporter } = this.ports;
    const stacks = stage.waves.flatMap((w) => w.stacks);
    const releaseOf = new Map(stacks.map((s) => [s.name, s.releaseId]));
    const ledgers = await Promise.all(stacks.map((s) => readLedger(stackRefOf(s), engine)));
    const holding = targetsHolding(ledgers, (stack) => releaseOf.get(stack.name) ?? "");
    const inScope = (name: string) => this.scope === "stage" || wave.stacks.some((s) => s.name === name);
    const targets = holding.filter((t) => inScope(t.stack.name));
    reporter.emit({ type: "rollback-started", stacks: targets.map((t) => t.stack.name), reason: cause.split("\n")[0] });
    const outcomes = await restore(
      targets,
      {
        policyConfig: this.options.policyConfig,
        placement: (stage) => placementOf(this.envs, stage),
        context: this.options.context,
        releasedAt: new Date(this.ports.clock.now()).toISOString(),
        ...(this.options.currentProgram !== undefined && { currentProgram: this.options.currentProgram }),
        ...(this.options.interrupts && { cancelling: this.options.interrupts.cancelling }),
      },
      this.ports,
    );
    const kept = holding.filter((t) => !inScope(t.stack.name)).map((t) => t.stack.name);
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
        const ledger = await readLedger(stackRefOf(s), this.ports.engine).catch(() => undefined);
        const releaseId = ledger?.holds;
        return { stack: s.name, ...(releaseId !== undefined && { releaseId }), current: releaseId === s.releaseId };
      }),
    );
    this.ports.reporter.emit({ type: "interrupted", stacks: holdings });
    const lines = holdings.map((h) => `  ${h.stack}: ${h.releaseId ?? "never released"}${h.current ? " (this release)" : " (previous release)"}`);
    const cancelled = this.options.interrupts?.cancelling.aborted ? "running updates were cancelled and may be partly applied" : "running updates finished";
    throw new InterruptedError(
      [`interrupted: nothing new was started, ${cancelled}.`, ...(lines.length > 0 ? ["Stacks hold:", ...lines] : []), "Run the same `dcp release` again to finish (it updates and bakes what has not baked the release healthy, and skips the rest), or `dcp rollback <stage>` to undo."].join("\n"),
    );
  }

  private stateOf(s: ResolvedStack): Standing["state"] {
    return this.standings.get(s.name)?.state ?? "pending";
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
