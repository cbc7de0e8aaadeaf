import type { Clock, DeploymentControl, DeploymentStatus, WatchTarget } from "../../../cli/pipeline/ports";

interface Deployment {
  stack: string;
  number: number;
  startedAt: number;
  /** How long AppConfig takes with it. */
  durationMs: number;
  /** Where it ends: COMPLETE unless scripted otherwise. */
  ends: string;
  stopped?: boolean;
}

/**
 * AppConfig's deployments as dcp sees them beside the engine: each deployment a stack's
 * outputs name is in progress for its scripted duration on the fake clock, then ends as
 * scripted (COMPLETE by default); stopping one rolls it back. It records what dcp
 * stopped and which profiles it emptied, and refuses, as AppConfig does, to have two
 * deployments of one environment in progress: the test sees the ConflictException.
 */
export class FakeDeploymentControl implements DeploymentControl {
  readonly stopped: { stack: string; deploymentNumber: number }[] = [];
  readonly emptied: { stack: string; profileIds: string[] }[] = [];
  readonly conflicts: string[] = [];
  private readonly deployments = new Map<string, Deployment>();
  private readonly scripted = new Map<string, { durationMs: number; ends: string }[]>();
  private durationMs = 0;

  constructor(private readonly clock: Clock) {}

  /** Every deployment from now on takes this long. */
  takeMs(durationMs: number): void {
    this.durationMs = durationMs;
  }

  /** The stack's next deployment takes `durationMs` and ends in `state` (e.g. ROLLED_BACK by an alarm). */
  scriptNext(stack: string, outcome: { durationMs?: number; ends: string }): void {
    this.scripted.set(stack, [...(this.scripted.get(stack) ?? []), { durationMs: outcome.durationMs ?? this.durationMs, ends: outcome.ends }]);
  }

  /** Called by the engine fake when an update starts a deployment: what StartDeployment does. */
  started(stack: string, deploymentNumber: number): void {
    const running = this.inProgress(stack);
    if (running !== undefined && running.number !== deploymentNumber) {
      this.conflicts.push(`${stack}: deployment #${deploymentNumber} started while #${running.number} was in progress`);
    }
    const outcome = this.scripted.get(stack)?.shift() ?? { durationMs: this.durationMs, ends: "COMPLETE" };
    this.deployments.set(key(stack, deploymentNumber), { stack, number: deploymentNumber, startedAt: this.clock.now(), ...outcome });
  }

  async status(target: WatchTarget, deploymentNumber: number): Promise<DeploymentStatus> {
    const deployment = this.deployments.get(key(target.stack.name, deploymentNumber));
    if (deployment === undefined) return { state: "COMPLETE" };
    return { state: this.stateOf(deployment) };
  }

  async stopInProgress(target: WatchTarget): Promise<number | undefined> {
    const running = this.inProgress(target.stack.name);
    if (running === undefined) return undefined;
    running.stopped = true;
    this.stopped.push({ stack: target.stack.name, deploymentNumber: running.number });
    return running.number;
  }

  async deleteHostedVersions(target: WatchTarget, profileIds: string[]): Promise<void> {
    this.emptied.push({ stack: target.stack.name, profileIds });
  }

  private inProgress(stack: string): Deployment | undefined {
    return [...this.deployments.values()].find((d) => d.stack === stack && this.stateOf(d) === "DEPLOYING");
  }

  private stateOf(deployment: Deployment): string {
    if (deployment.stopped) return "ROLLED_BACK";
    return this.clock.now() - deployment.startedAt < deployment.durationMs ? "DEPLOYING" : deployment.ends;
  }
}

function key(stack: string, deploymentNumber: number): string {
  return `${stack}#${deploymentNumber}`;
}
