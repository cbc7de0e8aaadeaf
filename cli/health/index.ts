/**
 * The HealthMonitor adapter's entry point: CloudWatch alarms and AppConfig deployments
 * read through the AWS SDK v3, which is loaded on the first bake, not at startup.
 */
import type { Envs } from "../config/model";
import { systemClock } from "../pipeline/clock";
import type { Clock, HealthMonitor, HealthVerdict, WatchOptions, WatchTarget } from "../pipeline/ports";
import { AwsProbes, type StackProbe } from "./aws-probe";
import { checkStacks, watchStacks, type WatchSettings } from "./watch";

export interface HealthMonitorOptions {
  /** How often alarms and deployments are read: the longest a problem goes unseen. Default 10 s. */
  pollIntervalMs?: number;
  /** How long monitoring may be unreadable before the bake fails. Default 2 min. */
  graceMs?: number;
  /** Added to a rollout's duration and final bake before a still-running deployment fails the bake. Default 5 min. */
  deploymentMarginMs?: number;
  clock?: Clock;
}

export const DEFAULT_POLL_INTERVAL_MS = 10_000;
export const DEFAULT_GRACE_MS = 120_000;
export const DEFAULT_DEPLOYMENT_MARGIN_MS = 5 * 60_000;

export function createHealthMonitor(envs: Envs, options: HealthMonitorOptions = {}): HealthMonitor {
  const settings: WatchSettings = {
    pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
    graceMs: options.graceMs ?? DEFAULT_GRACE_MS,
    deploymentMarginMs: options.deploymentMarginMs ?? DEFAULT_DEPLOYMENT_MARGIN_MS,
    clock: options.clock ?? systemClock,
  };
  const probes = new AwsProbes(`dcp-${envs.pipeline.workload}-bake`, settings.clock);
  const endpoints = new Map(envs.stages.map((stage) => [stage.name, stage.definition.endpoint]));
  const probeFor = (target: WatchTarget): Promise<StackProbe> => {
    const endpoint = target.config.endpoint ?? endpoints.get(target.stack.stage);
    return probes.probeFor({ region: target.stack.region, role: target.config.role, ...(endpoint ? { endpoint } : {}) });
  };
  return {
    watch: (targets: WatchTarget[], watchOptions: WatchOptions): Promise<HealthVerdict> =>
      watchStacks(targets, probeFor, watchOptions, settings),
    check: (targets: WatchTarget[]): Promise<HealthVerdict> => checkStacks(targets, probeFor, settings),
  };
}
