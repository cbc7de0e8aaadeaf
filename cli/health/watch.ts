/**
 * The bake: poll every stack's alarms and AppConfig deployments until the bake time is
 * over and every deployment is COMPLETE, and answer unhealthy at the first poll that
 * sees a problem. Monitoring that cannot be read is tolerated for a grace period, then
 * it is a failure: a bake that saw nothing has not proved anything.
 */
import type { Clock, HealthReason, HealthVerdict, WatchOptions, WatchTarget } from "../pipeline/ports";
import { SetupError } from "../errors";
import type { StackProbe } from "./aws-probe";

export interface WatchSettings {
  pollIntervalMs: number;
  graceMs: number;
  /** Added to a rollout's duration + final bake before a deployment still running is a failure. */
  deploymentMarginMs: number;
  clock: Clock;
}

const FAILED_DEPLOYMENT_STATES = new Set(["ROLLED_BACK", "ROLLING_BACK", "REVERTED"]);

interface Tracked {
  target: WatchTarget;
  probe: StackProbe;
  lastReadAt: number;
  /** Whether the latest poll read everything. */
  readOk: boolean;
  lastError?: string;
  /** What the latest failed read threw. */
  lastFailure?: unknown;
  /** Deployments (by profile) that reached COMPLETE: AppConfig does not roll those back any more. */
  completed: Set<string>;
  pending: Map<string, string>;
}

export async function watchStacks(
  targets: WatchTarget[],
  probes: (target: WatchTarget) => Promise<StackProbe>,
  options: WatchOptions,
  settings: WatchSettings,
): Promise<HealthVerdict> {
  const { clock } = settings;
  const start = clock.now();
  const tracked: Tracked[] = await Promise.all(
    targets.map(async (target) => ({
      target,
      probe: await probes(target),
      lastReadAt: start,
      // Stryker disable next-line BooleanLiteral: every poll sets readOk before the loop reads it
      readOk: false,
      completed: new Set<string>(),
      pending: new Map<string, string>(),
    })),
  );
  const bakeEnd = start + options.durationMs;
  const deploymentsBound = Math.max(bakeEnd, start + longestRolloutMs(targets) + settings.deploymentMarginMs);
  for (;;) {
    const reasons = (await Promise.all(tracked.map((stack) => poll(stack, settings, options.signal)))).flat();
    if (reasons.length > 0) return { healthy: false, reasons };
    const now = clock.now();
    options.onProgress?.(Math.min(now - start, options.durationMs), options.durationMs);
    const pending = tracked.filter((stack) => stack.pending.size > 0);
    if (now >= bakeEnd && pending.length === 0 && tracked.every((stack) => stack.readOk)) return { healthy: true };
    if (now >= deploymentsBound && pending.length > 0) {
      return { healthy: false, reasons: pending.flatMap((stack) => unfinished(stack, now - start)) };
    }
    const untilBakeEnd = bakeEnd - now;
    await clock.sleep(untilBakeEnd > 0 ? Math.min(settings.pollIntervalMs, untilBakeEnd) : settings.pollIntervalMs, options.signal);
  }
}

/**
 * One look at the stacks now: for `dcp status`, with no grace and without waiting for
 * deployments. Missing or expired AWS credentials are the caller's setup, not the stacks'
 * health: they throw the SetupError (exit 1).
 */
export async function checkStacks(
  targets: WatchTarget[],
  probes: (target: WatchTarget) => Promise<StackProbe>,
  settings: WatchSettings,
): Promise<HealthVerdict> {
  const now = settings.clock.now();
  const reasons = await Promise.all(
    targets.map(async (target) => {
      // Stryker disable next-line BooleanLiteral: a one-off check never reads readOk; the poll sets it all the same
      const stack: Tracked = { target, probe: await probes(target), lastReadAt: now, readOk: false, completed: new Set(), pending: new Map() };
      const found = await poll(stack, { ...settings, graceMs: -1 });
      if (stack.lastFailure instanceof SetupError) throw stack.lastFailure;
      return found;
    }),
  );
  const all = reasons.flat();
  return all.length === 0 ? { healthy: true } : { healthy: false, reasons: all };
}

async function poll(stack: Tracked, settings: WatchSettings, signal?: AbortSignal): Promise<HealthReason[]> {
  const name = stack.target.stack.name;
  const { outputs } = stack.target;
  const reasons: HealthReason[] = [];
  try {
    const alarms = outputs.alarmNames.length > 0 ? await stack.probe.alarms(outputs.alarmNames, signal) : { firing: [], missing: [] };
    for (const alarm of alarms.firing) reasons.push({ stack: name, kind: "alarm", subject: alarm.name, detail: alarm.reason });
    if (alarms.missing.length > 0) throw new Error(`CloudWatch has no alarm named ${alarms.missing.join(", ")}`);
    const deployments = Object.entries(outputs.deploymentNumbers).filter(([profile]) => !stack.completed.has(profile));
    const states = await Promise.all(
      deployments.map(async ([profile, deploymentNumber]) => ({
        profile,
        deploymentNumber,
        ...(await stack.probe.deployment(
          { applicationId: outputs.applicationId, environmentId: outputs.environmentId, deploymentNumber },
          signal,
        )),
      })),
    );
    for (const { profile, deploymentNumber, state, detail } of states) {
      const subject = `${profile} deployment #${deploymentNumber}`;
      stack.pending.delete(profile);
      if (state === "COMPLETE") stack.completed.add(profile);
      else if (FAILED_DEPLOYMENT_STATES.has(state)) {
        reasons.push({ stack: name, kind: "deployment", subject, detail: `AppConfig deployment is ${state}${detail ? `: ${detail}` : ""}` });
      } else stack.pending.set(profile, state);
    }
  } catch (error) {
    if (signal?.aborted) throw error;
    return reasons.concat(unreadable(stack, error, settings));
  }
  stack.readOk = true;
  stack.lastReadAt = settings.clock.now();
  return reasons;
}

function unreadable(stack: Tracked, error: unknown, settings: WatchSettings): HealthReason[] {
  stack.readOk = false;
  stack.lastFailure = error;
  stack.lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const blindMs = settings.clock.now() - stack.lastReadAt;
  if (blindMs <= settings.graceMs) return [];
  return [
    {
      stack: stack.target.stack.name,
      kind: "monitoring",
      subject: "alarms and deployments",
      detail: `could not read the stack's health for ${Math.round(blindMs / 1000)}s (grace ${Math.round(settings.graceMs / 1000)}s): ${stack.lastError}`,
    },
  ];
}

function unfinished(stack: Tracked, elapsedMs: number): HealthReason[] {
  return [...stack.pending].map(([profile, state]) => ({
    stack: stack.target.stack.name,
    kind: "deployment" as const,
    subject: `${profile} deployment #${stack.target.outputs.deploymentNumbers[profile]}`,
    detail: `AppConfig deployment is still ${state} after ${Math.round(elapsedMs / 60_000)} minutes, longer than its strategy allows`,
  }));
}

function longestRolloutMs(targets: WatchTarget[]): number {
  return Math.max(0, ...targets.map(({ config }) => (config.rollout.durationMinutes + config.rollout.finalBakeMinutes) * 60_000));
}
