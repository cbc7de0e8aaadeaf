/**
 * Applying one stack. AppConfig runs one deployment per environment at a time and refuses
 * a second one while the first is in progress (ConflictException), and the provider's
 * Deployment returns as soon as a deployment has started. So dcp updates a stack as a
 * sequence of `up`s: each starts at most one deployment (the program deploys the first
 * profile whose content differs from `metadata.deployedContent`), dcp waits for it to
 * complete, records it as deployed and updates again, until the last changed profile's
 * deployment has completed. Nothing ever asks AppConfig for a deployment while another
 * is in progress.
 */
import { profileNames } from "../../infra/appconfig/profile-names";
import type { StackOutputs } from "../../infra/outputs";
import type { StackConfig } from "../../infra/stack-config";
import { DeploymentError } from "../errors";
import { MONITOR_DEADLINE_MARGIN_MS, rolloutMs } from "./bake";
import { messageOf } from "./concurrency";
import type { DeploymentStatus, EngineOptions, PipelinePorts, StackRef, UpResult, WatchTarget } from "./ports";

/** How often a deployment's state is read while dcp waits for it. */
export const DEPLOYMENT_POLL_MS = 5_000;
const IN_PROGRESS = new Set(["DEPLOYING", "BAKING", "ROLLING_BACK", "VALIDATING"]);

export interface ApplyOptions {
  engine: EngineOptions;
  /** The stack's outputs before this apply (undefined: never released): where its deployments stand. */
  before: StackOutputs | undefined;
  /** A rollback stops the deployment in progress before anything else. */
  stopFirst?: boolean;
  /** Once aborted, dcp stops waiting for the deployment in progress and returns; AppConfig goes on with it. */
  stopping?: AbortSignal;
}

export type ApplyPorts = Pick<PipelinePorts, "engine" | "deployments" | "clock" | "reporter">;

export async function applyStack(stack: StackRef, config: StackConfig, options: ApplyOptions, ports: ApplyPorts): Promise<UpResult> {
  const { before, engine: engineOptions } = options;
  let applied = config;
  if (before !== undefined) {
    const target: WatchTarget = { stack, config, outputs: before };
    if (options.stopFirst) {
      const stopped = await ports.deployments.stopInProgress(target);
      if (stopped !== undefined) ports.reporter.emit({ type: "appconfig-stopped", stack: stack.name, deploymentNumber: stopped });
    }
    // Awaited only when there is something to do: a release starts its stacks' updates in the order it asked for them.
    if (removedProfiles(target).length > 0) await emptyRemovedProfiles(target, ports);
    const confirmed = agreed(confirmedOf(before), config.metadata?.deployedContent);
    const unconfirmed = Object.entries(before.deploymentNumbers).filter(([profile]) => confirmed[profile] !== before.contentHashes[profile]);
    applied = withDeployedContent(config, unconfirmed.length > 0 ? await deployedNow(target, confirmed, unconfirmed, options, ports) : confirmed);
  }
  const updates = profileNames(config).length + 1;
  for (let update = 0; update < updates; update++) {
    const result = await ports.engine.up(stack, applied, engineOptions);
    const [started] = Object.entries(result.outputs.deploymentNumbers);
    if (started === undefined) return result;
    const [profile, deploymentNumber] = started;
    ports.reporter.emit({ type: "appconfig-deploying", stack: stack.name, profile, deploymentNumber });
    const status = await settle({ stack, config: applied, outputs: result.outputs }, deploymentNumber, options, ports);
    if (status === undefined) return result;
    ports.reporter.emit({ type: "appconfig-deployed", stack: stack.name, profile, deploymentNumber, state: status.state });
    if (status.state !== "COMPLETE") {
      throw new DeploymentError(
        `${stack.name}: AppConfig deployment #${deploymentNumber} of ${profile} ended ${status.state}${status.detail ? `: ${status.detail}` : ""}`,
      );
    }
    // Stryker disable next-line StringLiteral: a profile whose deployment started has content; any fallback would leave it undeployed
    const deployed = { ...confirmedOf(result.outputs), [profile]: result.outputs.contentHashes[profile] ?? "" };
    if (Object.entries(result.outputs.contentHashes).every(([name, hash]) => deployed[name] === hash)) return result;
    applied = withDeployedContent(applied, deployed);
  }
  throw new DeploymentError(`${stack.name}: a profile was still to deploy after ${updates} updates; the program deploys no profile twice, so this is a bug`);
}

/**
 * What the outputs record as deployed, less the profiles the caller doubts: release and
 * restore read the stack's history, which knows of failed updates that may have deployed
 * a profile since the outputs were written, and leave those out of `deployedContent`
 * (metadata.ts servedContent). Such a profile is deployed again.
 */
function agreed(confirmed: Record<string, string>, claimed: Record<string, string> | undefined): Record<string, string> {
  if (claimed === undefined) return confirmed;
  return Object.fromEntries(Object.entries(confirmed).filter(([profile]) => profile in claimed));
}

/** What the stack's outputs record as deployed before its last update (stacks released before dcp recorded it ran everything they hosted). */
function confirmedOf(outputs: StackOutputs): Record<string, string> {
  return outputs.deployedContent ?? outputs.contentHashes;
}

/**
 * What the stack runs as far as its outputs say, counting the deployment its last update
 * started as done: when it was not, applyStack finds out before it deploys anything.
 */
function deployedContentOf(outputs: StackOutputs): Record<string, string> {
  const deployed = { ...confirmedOf(outputs) };
  for (const [profile, hash] of Object.entries(outputs.contentHashes)) if (profile in outputs.deploymentNumbers) deployed[profile] = hash;
  return deployed;
}

/** Whether the stack's last update left no profile to deploy: a stack interrupted between its updates has some. */
export function fullyDeployed(outputs: StackOutputs): boolean {
  const deployed = deployedContentOf(outputs);
  return Object.entries(outputs.contentHashes).every(([profile, hash]) => deployed[profile] === hash);
}

/**
 * What the stack runs now: its confirmed content, and each unconfirmed deployment its
 * last update started once that has completed (waiting for it if it is still in
 * progress, so that the next deployment is never refused).
 */
async function deployedNow(
  target: WatchTarget,
  confirmed: Record<string, string>,
  unconfirmed: [string, number][],
  options: ApplyOptions,
  ports: ApplyPorts,
): Promise<Record<string, string>> {
  const deployed = { ...confirmed };
  for (const [profile, deploymentNumber] of unconfirmed) {
    const status = await settle(target, deploymentNumber, { ...options, stopping: undefined }, ports);
    const hash = target.outputs.contentHashes[profile];
    if (status?.state === "COMPLETE" && hash !== undefined) deployed[profile] = hash;
  }
  return deployed;
}

/**
 * AppConfig refuses to delete a profile while it holds hosted versions, and the program
 * retains every version it replaces (AppConfig may return to it): so the versions of the
 * profiles this update removes are deleted first, and the engine then deletes the profiles.
 */
async function emptyRemovedProfiles(target: WatchTarget, ports: ApplyPorts): Promise<void> {
  const removed = removedProfiles(target);
  await ports.deployments.deleteHostedVersions(target, removed.map(([, id]) => id));
  ports.reporter.emit({ type: "profiles-emptied", stack: target.stack.name, profiles: removed.map(([name]) => name) });
}

function removedProfiles(target: WatchTarget): [string, string][] {
  const kept = new Set(profileNames(target.config));
  return Object.entries(target.outputs.profileIds).filter(([name]) => !kept.has(name));
}

/**
 * Wait until the deployment is no longer in progress, for at most its strategy's rollout
 * and bake plus a margin; undefined when `stopping` ends the wait first. A state that
 * cannot be read is read again until that deadline.
 */
async function settle(target: WatchTarget, deploymentNumber: number, options: ApplyOptions, ports: ApplyPorts): Promise<DeploymentStatus | undefined> {
  const { clock, deployments } = ports;
  const signal = options.engine.signal;
  const deadlineMs = rolloutMs(target) + MONITOR_DEADLINE_MARGIN_MS;
  const deadline = clock.now() + deadlineMs;
  const waking = AbortSignal.any([signal, options.stopping].filter((s) => s !== undefined));
  let last: string;
  for (;;) {
    if (options.stopping?.aborted) return undefined;
    try {
      const status = await deployments.status(target, deploymentNumber, signal);
      if (!IN_PROGRESS.has(status.state)) return status;
      last = status.state;
    } catch (error) {
      signal?.throwIfAborted();
      last = `unreadable: ${messageOf(error)}`;
    }
    if (clock.now() >= deadline) {
      throw new DeploymentError(
        `${target.stack.name}: AppConfig deployment #${deploymentNumber} is still ${last} after ${Math.round(deadlineMs / 60_000)} minutes, longer than its strategy allows`,
      );
    }
    try {
      await clock.sleep(DEPLOYMENT_POLL_MS, waking);
    } catch (error) {
      if (options.stopping?.aborted && !signal?.aborted) return undefined;
      throw error;
    }
  }
}

function withDeployedContent(config: StackConfig, deployedContent: Record<string, string>): StackConfig {
  if (config.metadata === undefined) return config;
  return { ...config, metadata: { ...config.metadata, deployedContent } };
}
