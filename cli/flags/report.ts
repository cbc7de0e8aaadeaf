import type { Envs } from "../config/model";
import { resolveStacks } from "../config/resolve";
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
  const histories = await Promise.all(stacks.map(async (stack) => [stack.name, heldValues(await ports.engine.history(stack))] as const));
  return flagMatrix({ envs, stacks, held: new Map(histories), now: new Date(ports.clock.now()), ...options });
}
