import type { Argv } from "yargs";
import { ExitCode } from "../errors";
import { load, type DcpCommand, type GlobalOptions } from "./command";

interface PreviewArgs extends GlobalOptions {
  stage: string;
  region?: string;
  parallel?: number;
  markdown?: string;
}

export const previewCommand: DcpCommand<PreviewArgs> = {
  command: "preview",
  usage: "preview --stage <stage> [--region R]",
  describe: "Preview a stage's stacks with the policy pack, wave by wave, as `release` would; nothing is deployed. Exit 2 on a mandatory violation.",
  builder: (yargs: Argv<GlobalOptions>) =>
    yargs
      .option("stage", { type: "string", demandOption: true, describe: "The stage to preview" })
      .option("region", { type: "string", describe: "Only this region's stack" })
      .option("parallel", { type: "number", describe: "Stacks previewed at once (default: the whole wave)" })
      .option("markdown", { type: "string", describe: "Append the value diff, waves and policy results to this file as GitHub Markdown (e.g. $GITHUB_STEP_SUMMARY)" })
      .example("$0 preview --stage prod", "What a release would change in prod, and every policy result")
      .example("$0 preview --stage gamma --region eu-west-1 --json", "One stack, as JSON events"),
  async run(args) {
    const { withPipeline } = load<typeof import("./pipeline-runtime")>("./pipeline-runtime");
    const { runShowingDiffs } = load<typeof import("./diff-showing-run")>("./diff-showing-run");
    const { release } = load<typeof import("../pipeline/release")>("../pipeline/release");
    const selection = { to: args.stage, stage: args.stage, ...(args.region !== undefined && { region: args.region }) };
    const markdown = { ...(args.markdown !== undefined && { file: args.markdown }), title: `dcp preview --stage ${args.stage}${args.region !== undefined ? ` --region ${args.region}` : ""}` };
    await withPipeline(args, (runtime) =>
      runShowingDiffs(runtime, selection, markdown, (ports) =>
        release(runtime.envs, { ...selection, ...(args.parallel !== undefined && { parallel: args.parallel }), dryRun: true, ...runtime.runOptions }, ports),
      ),
    );
    return ExitCode.ok;
  },
};
