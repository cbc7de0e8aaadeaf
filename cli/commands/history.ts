import type { Argv } from "yargs";
import { ExitCode, UsageError } from "../errors";
import { load, type DcpCommand, type GlobalOptions } from "./command";

interface HistoryArgs extends GlobalOptions {
  stage: string;
  region?: string;
  limit: number;
}

export const historyCommand: DcpCommand<HistoryArgs> = {
  command: "history <stage>",
  describe: "The releases of each stack of a stage, newest first: release id, result, when, who, from which commit; the ids `rollback --to` takes.",
  builder: (yargs: Argv<GlobalOptions>) =>
    yargs
      .positional("stage", { type: "string", demandOption: true, describe: "The stage" })
      .option("region", { type: "string", describe: "Only this region's stack" })
      .option("limit", { type: "number", default: 10, describe: "Releases shown per stack" })
      .example("$0 history prod --region us-east-1", "The prod canary's releases")
      .example("$0 history gamma --json", "Every gamma stack's updates as JSON"),
  async run(args) {
    const { withPipeline } = load<typeof import("./pipeline-runtime")>("./pipeline-runtime");
    const { stackHistories } = load<typeof import("../pipeline/history")>("../pipeline/history");
    const { resolveStacks } = load<typeof import("../config/resolve")>("../config/resolve");
    const { stackRefOf } = load<typeof import("../pipeline/plan")>("../pipeline/plan");
    await withPipeline(args, async (runtime) => {
      const stacks = resolveStacks(runtime.envs, { stage: args.stage, ...(args.region !== undefined && { region: args.region }) });
      if (stacks.length === 0) throw new UsageError(`no stack matches stage ${args.stage}${args.region ? ` and region ${args.region}` : ""}; the stages are ${runtime.envs.stages.map((s) => s.name).join(", ")}`);
      const histories = await stackHistories(stacks.map(stackRefOf), runtime.ports.engine);
      if (args.json) process.stdout.write(`${JSON.stringify(histories)}\n`);
      else process.stdout.write(`${load<typeof import("../ui/pipeline-views")>("../ui/pipeline-views").renderHistory(histories, args.limit)}\n`);
    });
    return ExitCode.ok;
  },
};
