import type { Argv } from "yargs";
import { ExitCode } from "../errors";
import { load, type DcpCommand, type GlobalOptions } from "./command";

interface DiffArgs extends GlobalOptions {
  from?: string;
  to?: string;
  stage?: string;
  region?: string;
  markdown?: string;
}

export const diffCommand: DcpCommand<DiffArgs> = {
  command: "diff",
  usage: "diff (--from <stage> --to <stage> | --stage <stage> [--region R]) [--markdown <file>]",
  describe:
    "Which values change, where: every flag, config, alarm and rollout value that differs between two stages (offline), or that a release of a stage would change on each of its stacks (from the state backend; no cloud credentials).",
  builder: (yargs: Argv<GlobalOptions>) =>
    yargs
      .option("from", { type: "string", describe: "Compare this stage's values … (offline; with --to)" })
      .option("to", { type: "string", describe: "… with this stage's" })
      .option("stage", { type: "string", describe: "Compare envs/ with what this stage's stacks run (their last successful release)" })
      .option("region", { type: "string", describe: "Only this region's stack (with --stage)" })
      .option("markdown", { type: "string", describe: "Also append the diff to this file as a GitHub Markdown table (e.g. $GITHUB_STEP_SUMMARY or a pull-request comment)" })
      .check((a) => (a.from !== undefined) === (a.to !== undefined) || "--from and --to go together: the stage the values come from, and the stage they go to")
      .check((a) => (a.from !== undefined) !== (a.stage !== undefined) || "name either --from and --to (two stages of envs/) or --stage (envs/ against what is deployed)")
      .check((a) => a.region === undefined || a.stage !== undefined || "--region goes with --stage")
      .example("$0 diff --from gamma --to prod", "What promoting gamma's values to prod would change")
      .example("$0 diff --stage prod", "What releasing envs/ to prod would change on each prod stack")
      .example("$0 diff --stage beta --json", "The same for beta, as JSON")
      .example('$0 diff --from beta --to prod --markdown "$GITHUB_STEP_SUMMARY"', "As a table in the CI job's summary"),
  async run(args) {
    const { writeMarkdown } = load<typeof import("./markdown-file")>("./markdown-file");
    if (args.stage === undefined) {
      const { requireEnvs } = load<typeof import("../config/envs")>("../config/envs");
      const { stageDiff } = load<typeof import("../pipeline/stage-diff")>("../pipeline/stage-diff");
      const view = load<typeof import("../ui/diff-view")>("../ui/diff-view");
      const [from, to] = [args.from ?? "", args.to ?? ""];
      const changes = stageDiff(await requireEnvs(args.envs), from, to);
      process.stdout.write(args.json ? `${JSON.stringify(view.stageDiffAsJson(changes))}\n` : `${view.renderStageDiff(from, to, changes)}\n`);
      if (args.markdown !== undefined) await writeMarkdown(args.markdown, load<typeof import("../ui/markdown")>("../ui/markdown").stageDiffMarkdown(from, to, changes));
      return ExitCode.ok;
    }
    const stage = args.stage;
    const { withPipeline } = load<typeof import("./pipeline-runtime")>("./pipeline-runtime");
    const { deployedDiff, summariseStage } = load<typeof import("../pipeline/deployed-diff")>("../pipeline/deployed-diff");
    const view = load<typeof import("../ui/diff-view")>("../ui/diff-view");
    const diffs = await withPipeline(args, (runtime) =>
      deployedDiff(runtime.envs, { stage, ...(args.region !== undefined && { region: args.region }) }, runtime.ports.engine),
    );
    process.stdout.write(args.json ? `${JSON.stringify(view.deployedDiffAsJson(diffs))}\n` : `${view.renderDeployedDiff(stage, diffs)}\n`);
    if (args.markdown !== undefined) await writeMarkdown(args.markdown, load<typeof import("../ui/markdown")>("../ui/markdown").stageValueDiffMarkdown(summariseStage(stage, diffs)));
    return ExitCode.ok;
  },
};
