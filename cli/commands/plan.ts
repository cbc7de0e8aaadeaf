import type { Argv } from "yargs";
import { ExitCode } from "../errors";
import { planAsJson, renderPlan } from "../ui/plan-view";
import { load, type DcpCommand, type GlobalOptions } from "./command";

interface PlanArgs extends GlobalOptions {
  to: string;
  stage?: string;
  region?: string;
}

export const planCommand: DcpCommand<PlanArgs> = {
  command: "plan",
  usage: "plan --to <stage> [--stage S] [--region R]",
  describe: "Show what `release --to <stage>` would walk: stages, waves, stacks and release ids. Offline.",
  builder: (yargs: Argv<GlobalOptions>) =>
    yargs
      .option("to", { type: "string", demandOption: true, describe: "Last stage of the release" })
      .option("stage", { type: "string", describe: "Only this stage" })
      .option("region", { type: "string", describe: "Only this region" })
      .example("$0 plan --to prod", "Every stage, wave and stack of a release to prod, in order")
      .example("$0 plan --to gamma --json", "The same as JSON"),
  async run(args) {
    const { requireEnvs } = load<typeof import("../config/envs")>("../config/envs");
    const { planRelease } = load<typeof import("../pipeline/plan")>("../pipeline/plan");
    const envs = await requireEnvs(args.envs);
    const plan = planRelease(envs, {
      to: args.to,
      ...(args.stage !== undefined && { stage: args.stage }),
      ...(args.region !== undefined && { region: args.region }),
    });
    process.stdout.write(args.json ? `${JSON.stringify(planAsJson(plan))}\n` : `${renderPlan(plan)}\n`);
    return ExitCode.ok;
  },
};
