/**
 * The HealthMonitor adapter's entry point: CloudWatch alarms and AppConfig deployments
 * read through the AWS SDK v3, which is loaded on the first bake, not at startup.
 */
import type { Envs } from "../config/model";
import { systemClock } from "../pipeline/clock";
import type { Clock, HealthMonitor, HealthVerdict, WatchOptions, WatchTarget } from "../pipeline/ports";
import { AwsProbes, type StackProbe } from "./aws-probe";
import { bakeSessionName, runId } from "./session-name";
import { checkStacks, watchStacks, type WatchSettings } from "./watch";

export interface HealthMonitorOptions {
  /** How often alarms and deployments are read: the longest a problem goes unseen. Default 10 s. */
  pollIntervalMs?: number;
  /** How long monitoring may be unreadable before the bake fails. Default 2 min. */
  graceMs?: number;
  /** Added to a rollout's duration and final bake before a still-running deployment fails the bake. Default 5 min. */
  deploymentMarginMs?: number;
  clock?: Clock;
  /** Told once per stage whose bake falls back to the deploy role for want of a `monitorRole`. */
  warn?: (message: string) => void;
  /** What the bake's role session names carry; default: the CI run, or this process. */
  runId?: string;
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
  const probes = new AwsProbes(bakeSessionName(envs.pipeline.workload, options.runId ?? runId()), settings.clock);
  const endpoints = new Map(envs.stages.map((stage) => [stage.name, stage.definition.endpoint]));
  const readRole = monitorRoles(envs, options.warn);
  const probeFor = (target: WatchTarget): Promise<StackProbe> => {
    const endpoint = target.config.endpoint ?? endpoints.get(target.stack.stage);
    return probes.probeFor({ region: target.stack.region, role: readRole(target), ...(endpoint ? { endpoint } : {}) });
  };
  return {
    watch: (targets: WatchTarget[], watchOptions: WatchOptions): Promise<HealthVerdict> =>
      watchStacks(targets, probeFor, watchOptions, settings),
    check: (targets: WatchTarget[]): Promise<HealthVerdict> => checkStacks(targets, probeFor, settings),
  };
}

/**
 * The role the bake reads with: the stage's read-only `monitorRole`, or else the deploy role
 * the stack was released with, which can change what it reads, so that is said once per stage.
 */
export function monitorRoles(envs: Envs, warn: ((message: string) => void) | undefined): (target: WatchTarget) => string {
  const roles = new Map(envs.stages.map((stage) => [stage.name, stage.definition.monitorRole]));
  const warned = new Set<string>();
  return (target) => {
    const role = roles.get(target.stack.stage);
    if (role !== undefined) return role;
    if (!warned.has(target.stack.stage)) {
      warned.add(target.stack.stage);
      warn?.(`stage ${target.stack.stage} has no monitorRole: its bake reads alarms and deployments with the deploy role ${target.config.role}`);
    }
    return target.config.role;
  };
}
