/**
 * `dcp status`: what is live where, who released it, and what the monitoring says,
 * per stack; compared with what envs/ would release now.
 */
import type { Envs } from "../config/model";
import { resolveStacks, type StackSelection } from "../config/resolve";
import { SetupError, UsageError } from "../errors";
import { messageOf } from "./concurrency";
import { entryOf, releaseUpdate, type HistoryEntry } from "./history";
import { stackRefOf } from "./plan";
import type { HealthVerdict, PipelinePorts } from "./ports";

export interface StackStatus {
  stack: string;
  stage: string;
  region: string;
  /** Undefined when the stack was never released. */
  releaseId?: string;
  /** The release envs/ resolves to now; differs from `releaseId` when a release is pending. */
  wantedReleaseId: string;
  /** The update that put the current release in place. */
  lastUpdate?: HistoryEntry;
  /** AppConfig deployment number per profile, from the last update. */
  deployments: Record<string, number>;
  alarms: string[];
  /** Undefined when the monitor cannot check without waiting. */
  health?: HealthVerdict;
  /** Why health could not be read. */
  healthError?: string;
}

export async function status(envs: Envs, selection: StackSelection, ports: Pick<PipelinePorts, "engine" | "health">): Promise<StackStatus[]> {
  const names = envs.stages.map((s) => s.name);
  if (selection.stage !== undefined && !names.includes(selection.stage)) {
    throw new UsageError(`unknown stage "${selection.stage}"; the stages are ${names.join(", ")}`);
  }
  const stacks = resolveStacks(envs, selection);
  return Promise.all(
    stacks.map(async (s): Promise<StackStatus> => {
      const ref = stackRefOf(s);
      const [outputs, history] = await Promise.all([ports.engine.outputs(ref), ports.engine.history(ref)]);
      const base: StackStatus = {
        stack: s.name,
        stage: s.stage,
        region: s.region,
        wantedReleaseId: s.releaseId,
        deployments: outputs?.deploymentNumbers ?? {},
        alarms: outputs?.alarmNames ?? [],
      };
      if (outputs === undefined) return base;
      const last = releaseUpdate(history, outputs.releaseId);
      const status: StackStatus = { ...base, releaseId: outputs.releaseId, ...(last !== undefined && { lastUpdate: entryOf(last) }) };
      if (ports.health.check === undefined) return status;
      try {
        return { ...status, health: await ports.health.check([{ stack: ref, config: last?.config ?? s.config, outputs }]) };
      } catch (error) {
        // Missing AWS credentials are this machine's problem, not the stack's: say what to set (exit 1).
        if (error instanceof SetupError) throw error;
        return { ...status, healthError: messageOf(error) };
      }
    }),
  );
}
