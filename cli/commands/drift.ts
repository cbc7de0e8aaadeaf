import type { Argv } from "yargs";
import { ExitCode } from "../errors";
import { load, type DcpCommand, type GlobalOptions } from "./command";

interface DriftArgs extends GlobalOptions {
  stage?: string;
  region?: string;
}

export const driftCommand: DcpCommand<DriftArgs> = {
  command: "drift [stage]",
  describe:
    "Find resources changed outside dcp (an AppConfig profile or alarm edited by hand): a preview-only refresh of each stack, compared with its last release. Exit 6 when drift is found.",
  builder: (yargs: Argv<GlobalOptions>) =>
    yargs
      .positional("stage", { type: "string", describe: "Only this stage (default: every stage)" })
      .option("region", { type: "string", describe: "Only this region" })
      .example("$0 drift", "Every stack of every stage")
      .example("$0 drift prod --json", "Prod's stacks as one JSON array; exit 6 when any drifted"),
  async run(args) {
    const { withPipeline } = load<typeof import("./pipeline-runtime")>("./pipeline-runtime");
    const { drift, driftFound } = load<typeof import("../pipeline/drift")>("../pipeline/drift");
    return withPipeline(args, async (runtime) => {
      const selection = { ...(args.stage !== undefined && { stage: args.stage }), ...(args.region !== undefined && { region: args.region }) };
      // Ctrl-C stops the refresh previews at once: they change nothing, so there is nothing to finish.
      const report = await drift(runtime.envs, selection, runtime.ports, runtime.runOptions.interrupts.stopping);
      if (args.json) process.stdout.write(`${JSON.stringify(report)}\n`);
      else process.stdout.write(`${load<typeof import("../ui/drift-view")>("../ui/drift-view").renderDrift(report)}\n`);
      return driftFound(report) ? ExitCode.drift : ExitCode.ok;
    });
  },
};
