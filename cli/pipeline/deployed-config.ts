/**
 * What a stack runs, as its ledger in the state backend records it: the StackConfig of
 * its last successful update (a release, its bake record, or a rollback). Reads only the
 * engine's update history, so it needs the backend but no cloud credentials.
 */
import type { StackConfig } from "../../infra/stack-config";
import { positionOf } from "./history";
import type { Engine, StackRef } from "./ports";

export interface DeployedStack {
  stack: StackRef;
  /** Undefined when the stack was never released (or only by something other than dcp). */
  config?: StackConfig;
  /** An update attempted after that one failed or never finished: part of it may be live too. */
  unfinished: boolean;
}

export async function deployedConfig(stack: StackRef, engine: Pick<Engine, "history">): Promise<DeployedStack> {
  const position = positionOf(await engine.history(stack));
  const config = position.applied?.config;
  return { stack, ...(config !== undefined && { config }), unfinished: position.unfinished.length > 0 };
}

/** The deployed config of every stack, read concurrently, in the order given. */
export function deployedConfigs(stacks: StackRef[], engine: Pick<Engine, "history">): Promise<DeployedStack[]> {
  return Promise.all(stacks.map((stack) => deployedConfig(stack, engine)));
}
