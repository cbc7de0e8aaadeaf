/**
 * Recording that a release baked healthy: a small update per stack that changes nothing
 * but the release metadata, so that the stack's ledger says the release is done there
 * and a re-run skips it. Until it is recorded, a re-run bakes the stack again, which is safe.
 */
import { DeploymentError } from "../errors";
import { messageOf, rejections, settleBounded } from "./concurrency";
import { markBaked } from "./metadata";
import type { PipelinePorts, PolicyPackConfig, WatchTarget } from "./ports";
import { relaxedForRollback } from "./restore";

export interface BakeRecordOptions {
  parallel: number;
  policyConfig: PolicyPackConfig;
  cancelling?: AbortSignal;
}

/** Throws a DeploymentError naming the stacks whose bake could not be recorded; nothing is rolled back. */
export async function recordBaked(
  where: string,
  targets: WatchTarget[],
  options: BakeRecordOptions,
  ports: Pick<PipelinePorts, "engine" | "clock">,
): Promise<void> {
  const bakedAt = new Date(ports.clock.now()).toISOString();
  // Nothing changes but metadata: a policy tightened since the release's preview must not fail it.
  const policyConfig = relaxedForRollback(options.policyConfig);
  const results = await settleBounded(targets, options.parallel, (t) =>
    ports.engine.up(t.stack, markBaked(t.config, t.outputs, bakedAt), { policyConfig, signal: options.cancelling }),
  );
  const failed = targets.filter((_, i) => results[i]?.status === "rejected");
  if (failed.length === 0) return;
  const lines = rejections(results).map((f, i) => `  ${failed[i]?.stack.name}: ${messageOf(f)}`);
  throw new DeploymentError(
    [
      `${where} baked healthy, but recording that failed on ${failed.length === 1 ? "a stack" : `${failed.length} stacks`}; nothing was rolled back:`,
      ...lines,
      `Run the same \`dcp release\` again: it bakes ${failed.map((t) => t.stack.name).join(", ")} again before going on.`,
    ].join("\n"),
  );
}
