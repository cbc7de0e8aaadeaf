/**
 * What `preview` and `release` add around the run: each stage's value diff shown first
 * and to whoever approves, and with `--markdown`, the run written up for CI.
 */
import type { PlanOptions } from "../pipeline/plan";
import type { PipelinePorts } from "../pipeline/ports";
import { load } from "./command";
import type { PipelineRuntime } from "./pipeline-runtime";

export async function runShowingDiffs<T>(
  runtime: PipelineRuntime,
  selection: PlanOptions,
  markdown: { file?: string; title: string },
  run: (ports: PipelinePorts) => Promise<T>,
): Promise<T> {
  const { reportStageDiffs, approverShowingDiff } = load<typeof import("../pipeline/release-diffs")>("../pipeline/release-diffs");
  const { MarkdownRecorder } = load<typeof import("../ui/run-markdown")>("../ui/run-markdown");
  const { renderStageValueDiff } = load<typeof import("../ui/diff-view")>("../ui/diff-view");
  const recorder = markdown.file !== undefined ? new MarkdownRecorder(runtime.ports.reporter) : undefined;
  const { approver } = runtime.ports;
  const ports: PipelinePorts = {
    ...runtime.ports,
    ...(recorder && { reporter: recorder }),
    ...(approver && { approver: approverShowingDiff(approver, runtime.envs, selection.region, runtime.ports, (diff) => renderStageValueDiff(diff, process.stderr)) }),
  };
  try {
    await reportStageDiffs(runtime.envs, selection, ports);
    return await run(ports);
  } finally {
    if (recorder !== undefined && markdown.file !== undefined) {
      await load<typeof import("./markdown-file")>("./markdown-file").writeMarkdown(markdown.file, recorder.render(markdown.title));
    }
  }
}
