/**
 * What a preview, a dry run and a person approving a stage are shown: the values a
 * release of each stage changes against what its stacks run. Read from the stacks'
 * ledgers before anything runs, without touching the release algorithm.
 */
import type { Envs } from "../config/model";
import { deployedDiff, summariseStage, type StageValueDiff } from "./deployed-diff";
import { planRelease, type PlanOptions } from "./plan";
import type { Approver, PipelinePorts } from "./ports";

/** A `values-diff` event for each stage the run walks, in order. */
export async function reportStageDiffs(envs: Envs, options: PlanOptions, ports: Pick<PipelinePorts, "engine" | "reporter">): Promise<void> {
  try {
    for (const stage of planRelease(envs, options).stages) {
      ports.reporter.emit({ type: "values-diff", diff: await stageValueDiff(envs, stage.name, options.region, ports) });
    }
  } catch {
    // Options the run refuses, or ledgers it cannot read, it meets again at once: it says
    // why it stopped, and a JSON reader gets its `finished` line.
  }
}

/** An approver asked with the stage's value diff below the summary, read when the stage's turn comes. */
export function approverShowingDiff(
  approver: Approver,
  envs: Envs,
  region: string | undefined,
  ports: Pick<PipelinePorts, "engine">,
  render: (diff: StageValueDiff) => string,
): Approver {
  return {
    approve: async (stage, summary) => approver.approve(stage, `${summary}\n${render(await stageValueDiff(envs, stage, region, ports))}`),
  };
}

async function stageValueDiff(envs: Envs, stage: string, region: string | undefined, ports: Pick<PipelinePorts, "engine">): Promise<StageValueDiff> {
  return summariseStage(stage, await deployedDiff(envs, { stage, region }, ports.engine));
}
