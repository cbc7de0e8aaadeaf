import type { Envs } from "../config/model";
import { resolveStacks } from "../config/resolve";
import { deployedConfig, type DeployedStack } from "../pipeline/deployed-config";
import type { Clock, Engine } from "../pipeline/ports";
import { heldValues } from "./held-values";
import { flagMatrix, type FlagMatrix } from "./matrix";

export interface FlagReportOptions {
  /** Days a flag must have stood on, unchanged, everywhere to be a removal candidate. */
  staleDays: number;
  /** Show what each stack runs beside what envs/ wants. */
  deployed: boolean;
}

/** The flag matrix of envs/, judged against every stack's release history in the backend. */
export async function flagReport(envs: Envs, ports: { engine: Engine; clock: Pick<Clock, "now"> }, options: FlagReportOptions): Promise<FlagMatrix> {
  const stacks = resolveStacks(envs);
  const held = new Map<string, ReturnType<typeof heldValues>>();
  const deployed = new Map<string, DeployedStack>();
  await Promise.all(
    stacks.map(async (stack) => {
      // One read of each history serves both: what the stack runs, and since when.
      const records = await ports.engine.history(stack);
      held.set(stack.name, heldValues(records));
      if (options.deployed) deployed.set(stack.name, await deployedConfig(stack, { history: async () => records }));
    }),
  );
  return flagMatrix({ envs, stacks, held, ...(options.deployed && { deployed }), now: new Date(ports.clock.now()), staleDays: options.staleDays });
}
