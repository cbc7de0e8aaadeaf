// A deployment's life, DEPLOYING → BAKING → COMPLETE, on a clock where one AWS minute lasts
// `minuteMs` milliseconds. State is derived from elapsed time whenever it is looked at, so
// nothing depends on timers firing punctually; only alarm checks need a poller (alarms.ts).
// Sources: User Guide "Working with deployment strategies" (growth types, bake time) and
// botocore's DeploymentState / EnvironmentState / DeploymentEventType enums.
import { badRequest } from "./errors";
import type { Deployment, DeploymentEvent, Environment, Served, Strategy } from "./store";

const IN_PROGRESS = new Set(["DEPLOYING", "BAKING"]);

export function inProgress(environment: Environment): Deployment | undefined {
  return environment.deployments.find((d) => IN_PROGRESS.has(d.State));
}

// Percentage reached after `step` steps. LINEAR grows by GrowthFactor each step; EXPONENTIAL
// deploys to GrowthFactor × 2^(step-1) percent (User Guide: "G*(2^N)").
function percentageAt(strategy: Strategy, step: number): number {
  const grown = strategy.GrowthType === "EXPONENTIAL" ? strategy.GrowthFactor * 2 ** (step - 1) : strategy.GrowthFactor * step;
  return Math.min(100, grown);
}

function stepCount(strategy: Strategy): number {
  let steps = 1;
  while (percentageAt(strategy, steps) < 100) steps += 1;
  return steps;
}

export class Lifecycle {
  constructor(private readonly minuteMs: number) {}

  private event(deployment: Deployment, atMs: number, EventType: string, TriggeredBy: DeploymentEvent["TriggeredBy"], Description: string): void {
    deployment.EventLog.unshift({ EventType, TriggeredBy, Description, OccurredAt: new Date(atMs).toISOString() });
  }

  begin(environment: Environment, deployment: Deployment, now: number): void {
    environment.deployments.push(deployment);
    environment.State = "DEPLOYING";
    this.event(deployment, now, "DEPLOYMENT_STARTED", "USER", "Deployment started");
    this.advance(environment, now);
  }

  advance(environment: Environment, now: number): void {
    const deployment = inProgress(environment);
    if (!deployment) return;
    const { strategy } = deployment;
    const deployMs = strategy.DeploymentDurationInMinutes * this.minuteMs;
    const bakeMs = strategy.FinalBakeTimeInMinutes * this.minuteMs;
    const elapsed = now - deployment.startedMs;
    if (deployment.State === "DEPLOYING") {
      const steps = stepCount(strategy);
      const step = deployMs === 0 ? steps : Math.min(steps, Math.floor((elapsed / deployMs) * steps) + 1);
      const percentage = percentageAt(strategy, step);
      if (percentage !== deployment.PercentageComplete) {
        deployment.PercentageComplete = percentage;
        const at = deployment.startedMs + (deployMs * (step - 1)) / steps;
        this.event(deployment, at, "PERCENTAGE_UPDATED", "APPCONFIG", `Deployment ${percentage}% complete`);
      }
      if (elapsed < deployMs) return;
      deployment.State = "BAKING";
      this.event(deployment, deployment.startedMs + deployMs, "BAKE_TIME_STARTED", "APPCONFIG", "Final bake time started");
    }
    if (elapsed < deployMs + bakeMs) return;
    deployment.State = "COMPLETE";
    deployment.completedMs = deployment.startedMs + deployMs + bakeMs;
    this.event(deployment, deployment.completedMs, "DEPLOYMENT_COMPLETED", "APPCONFIG", "Deployment completed");
    environment.deployed.set(deployment.ConfigurationProfileId, deployment.target);
    environment.State = "READY_FOR_DEPLOYMENT";
  }

  // The previously deployed version stays in `environment.deployed`, so clients are served
  // it again as soon as the deployment leaves DEPLOYING/BAKING.
  rollBack(environment: Environment, deployment: Deployment, triggeredBy: DeploymentEvent["TriggeredBy"], reason: string, now: number): void {
    this.event(deployment, now, "ROLLBACK_STARTED", triggeredBy, reason);
    deployment.State = "ROLLED_BACK";
    deployment.PercentageComplete = 0;
    deployment.completedMs = now;
    this.event(deployment, now, "ROLLBACK_COMPLETED", triggeredBy, "Rollback completed");
    environment.State = "ROLLED_BACK";
  }

  // StopDeployment (API reference): "works only on deployments that have a status of
  // DEPLOYING, unless an AllowRevert parameter is supplied"; with it an in-progress (DEPLOYING
  // or BAKING) deployment is ROLLED_BACK and a COMPLETE one REVERTED, only the latest COMPLETE
  // deployment of its profile in the environment. The 72-hour revert window is not enforced.
  stop(environment: Environment, deployment: Deployment, allowRevert: boolean, now: number): void {
    this.advance(environment, now);
    if (deployment.State === "DEPLOYING" || (allowRevert && IN_PROGRESS.has(deployment.State))) {
      this.rollBack(environment, deployment, "USER", "Deployment stopped by user", now);
      return;
    }
    const latest = environment.deployments
      .filter((d) => d.ConfigurationProfileId === deployment.ConfigurationProfileId && d.State === "COMPLETE")
      .at(-1);
    if (deployment.State !== "COMPLETE" || !allowRevert || latest !== deployment) {
      throw badRequest(`Deployment ${deployment.DeploymentNumber} is ${deployment.State} and cannot be stopped`);
    }
    deployment.State = "REVERTED";
    this.event(deployment, now, "REVERT_COMPLETED", "USER", "Deployment reverted by user");
    if (deployment.previous) environment.deployed.set(deployment.ConfigurationProfileId, deployment.previous);
    else environment.deployed.delete(deployment.ConfigurationProfileId);
    environment.State = "REVERTED";
  }

  // What GetLatestConfiguration hands out: the new version once it has reached 100% of
  // targets (the bake), the previously deployed one before that. AWS serves an in-flight
  // version to a growing share of clients; one answer per environment keeps tests exact.
  served(environment: Environment, profileId: string, now: number): Served | undefined {
    this.advance(environment, now);
    const deployment = inProgress(environment);
    if (deployment?.ConfigurationProfileId === profileId && deployment.State === "BAKING") return deployment.target;
    return environment.deployed.get(profileId);
  }
}
