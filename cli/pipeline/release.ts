/**
 * `dcp release`: stages in order up to --to, each wave previewed with the policy pack,
 * updated concurrently, then baked; a failed update or an unhealthy bake rolls back
 * every stack of the stage holding the release and stops. A stack is done with a
 * release once the release has baked healthy on it (recorded in its ledger), so a
 * re-run after an interruption bakes what was never baked.
 */
import type { Envs, ResolvedStack } from "../config/model";
import { InterruptedError, UsageError } from "../errors";
import { fullyDeployed } from "./apply-stack";
import { messageOf } from "./concurrency";
import type { StackHolding } from "./events";
import { reportingFinish } from "./finish";
import type { Interrupts } from "./interrupts";
import { standingOf } from "./history";
import { leaseRequest, withStageLease, type HeldLease } from "./lease";
import type { ReleaseContext } from "./metadata";
import { planRelease, stackRefOf, type Plan, type PlannedStage, type PlannedWave } from "./plan";
import type { Engine, PipelinePorts, PolicyPackConfig, PolicyViolation } from "./ports";
import { isBlocking, policyViolationError } from "./preview";
import { rollBackFailedWave, type RollbackScope } from "./release-rollback";
import { releaseWave, type Standing } from "./release-wave";
import { readLedger, restoreOptions } from "./restore";
import { soakRefusal } from "./soak";

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

class ReleaseRun {
  private readonly releasedAt: string;
  private readonly summary: ReleaseSummary = { stacks: [], violations: [] };
  /** Where each stack stood when its stage started: decides what is updated, baked and skipped. */
  private readonly standings = new Map<string, Standing>();
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

  /** Aborted by the first Ctrl-C or when another run takes the stage's lease: start nothing new. */
  private get stopping(): AbortSignal {
    return AbortSignal.any([this.options.interrupts?.stopping, this.lease?.lost].filter((s) => s !== undefined));
  }

  async run(): Promise<ReleaseSummary> {
    const { reporter } = this.ports;
    reporter.emit({ type: "release-started", workload: this.plan.workload, stages: this.plan.stages.map((s) => s.name), dryRun: !!this.options.dryRun });
    this.requireWayToApprove();
    const interrupts = this.options.interrupts;
    const onStop = () =>
      reporter.emit({ type: "interrupt-requested", action: "stopping", message: "finishing the running updates, then stopping; interrupt again to cancel them" });
    const onCancel = () => reporter.emit({ type: "interrupt-requested", action: "cancelling", message: "cancelling the running updates" });
    // A signal aborts once, so each listener runs at most once.
    interrupts?.stopping.addEventListener("abort", onStop);
    interrupts?.cancelling.addEventListener("abort", onCancel);
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
    const read = await Promise.all(stacks.map(async (stack) => ({ stack, standing: await standingAt(stack, this.ports.engine) })));
    for (const { stack, standing } of read) this.standings.set(stack.name, standing);
    const pending = read.filter((r) => r.standing.state === "pending").map((r) => r.stack);
    if (read.every((r) => r.standing.state === "baked")) {
      for (const wave of stage.waves) for (const s of wave.stacks) this.record(s, "skipped");
      this.ports.reporter.emit({ type: "stage-skipped", stage: stage.name, reason: "this release has baked healthy on every stack" });
      return;
    }
    // A dry run deploys nothing, so nothing has to have soaked; checked before anyone is asked to approve.
    // Only the values the pending stacks change have to have soaked: baking what an earlier run deployed needs none.
    if (!this.options.dryRun && this.options.skipSoak === undefined) {
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
    const { options } = this;
    const outcome = await releaseWave(
      wave,
      (s) => this.standings.get(s.name),
      {
        parallel: Math.max(1, options.parallel ?? wave.stacks.length),
        policyConfig: options.policyConfig(stage.name),
        dryRun: !!options.dryRun,
        context: options.context,
        releasedAt: this.releasedAt,
        ...(options.skipSoak && { skipSoakReason: options.skipSoak.reason }),
        stopping: this.stopping,
        cancelling: options.interrupts?.cancelling,
      },
      this.ports,
    );
    if (outcome.kind === "interrupted") return this.stopIfInterrupted();
    if (outcome.kind === "failed") {
      const failed = { stage, wave, failure: outcome.failure, cause: outcome.cause, earlierStages: this.releasedStagesNote(stage) };
      return rollBackFailedWave(failed, this.scope, restoreOptions(options, this.envs, this.ports.clock), this.ports);
    }
    for (const { stack, result } of outcome.results) this.record(stack, result);
    this.summary.violations.push(...outcome.violations);
  }

  private async stopIfInterrupted(): Promise<void> {
    if (!this.stopping.aborted) return;
    this.lease?.throwIfLost();
    const stacks = this.startedStages.flatMap((stage) => stage.waves.flatMap((w) => w.stacks));
    const holdings = await Promise.all(stacks.map((s) => holdingOf(s, this.ports.engine)));
    this.ports.reporter.emit({ type: "interrupted", stacks: holdings });
    const lines = holdings.map((h) => `  ${h.stack}: ${describeHolding(h)}`);
    const cancelled = this.options.interrupts?.cancelling.aborted ? "running updates were cancelled and may be partly applied" : "running updates finished";
    throw new InterruptedError(
      [`interrupted: nothing new was started, ${cancelled}.`, ...(lines.length > 0 ? ["Stacks hold:", ...lines] : []), "Run the same `dcp release` again to finish (it updates and bakes what has not baked the release healthy, and skips the rest), or `dcp rollback <stage>` to undo."].join("\n"),
    );
  }

  private record(s: ResolvedStack, result: StackResult["result"]): void {
    this.summary.stacks.push({ stack: s.name, stage: s.stage, wave: s.wave, releaseId: s.releaseId, result });
  }

  private releasedStagesNote(current?: PlannedStage): string {
    const earlier = this.startedStages.filter((s) => s !== current).map((s) => s.name);
    return earlier.length > 0 ? `\nEarlier stages keep the release: ${earlier.join(", ")}` : "";
  }
}

/** Where the stack stands with its release, read from its ledger. */
async function standingAt(s: ResolvedStack, engine: Engine): Promise<Standing> {
  const ledger = await readLedger(stackRefOf(s), engine);
  // An update interrupted between its AppConfig deployments holds the release but has profiles left to deploy.
  // (A stack that baked a release is fully deployed: the update recording the bake deployed nothing.)
  const unfinished = ledger.outputs !== undefined && !fullyDeployed(ledger.outputs);
  return { ledger, state: unfinished ? "pending" : standingOf(ledger.position, s.releaseId) };
}

/** What the stack holds now, or why that is unknown: a ledger that cannot be read says nothing about what the stack runs. */
async function holdingOf(s: ResolvedStack, engine: Engine): Promise<StackHolding> {
  try {
    const releaseId = (await readLedger(stackRefOf(s), engine)).holds;
    return { stack: s.name, ...(releaseId !== undefined && { releaseId }), current: releaseId === s.releaseId };
  } catch (error) {
    return { stack: s.name, current: false, unreadable: messageOf(error) };
  }
}

function describeHolding(h: StackHolding): string {
  if (h.unreadable !== undefined) return `unknown, its history could not be read: ${h.unreadable}`;
  if (h.releaseId === undefined) return "never released";
  return `${h.releaseId} (${h.current ? "this release" : "previous release"})`;
}
