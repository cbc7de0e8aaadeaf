import type { Argv } from "yargs";
import { ExitCode } from "../errors";
import { load, type DcpCommand, type GlobalOptions } from "./command";

interface StatusArgs extends GlobalOptions {
  stage?: string;
  region?: string;
}

export const statusCommand: DcpCommand<StatusArgs> = {
  command: "status [stage]",
  describe: "What is live where: per stack the deployed release, when and by whom, whether envs/ holds a newer one, AppConfig deployments and alarm states.",
  builder: (yargs: Argv<GlobalOptions>) =>
    yargs
      .positional("stage", { type: "string", describe: "Only this stage (default: every stage)" })
      .option("region", { type: "string", describe: "Only this region" })
      .example("$0 status", "Every stack of every stage")
      .example("$0 status prod --json", "Prod's stacks as one JSON array"),
  async run(args) {
    const { withPipeline } = load<typeof import("./pipeline-runtime")>("./pipeline-runtime");
    const { status } = load<typeof import("../pipeline/status")>("../pipeline/status");
    await withPipeline(args, async (runtime) => {
      const selection = { ...(args.stage !== undefined && { stage: args.stage }), ...(args.region !== undefined && { region: args.region }) };
      const rows = await status(runtime.envs, selection, runtime.ports);
      if (args.json) process.stdout.write(`${JSON.stringify(rows)}\n`);
      else process.stdout.write(`${load<typeof import("../ui/pipeline-views")>("../ui/pipeline-views").renderStatus(rows)}\n`);
    });
    return ExitCode.ok;
  },
};
