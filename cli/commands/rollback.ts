import type { Argv } from "yargs";
import { ExitCode } from "../errors";
import { load, type DcpCommand, type GlobalOptions } from "./command";

interface RollbackArgs extends GlobalOptions {
  stage: string;
  region?: string;
  to?: string;
  "current-program": boolean;
  "break-lease"?: string;
}

export const rollbackCommand: DcpCommand<RollbackArgs> = {
  command: "rollback <stage>",
  describe:
    "Return every stack of a stage (or one region) to its previous successful release, all at once, by re-applying the StackConfig its history recorded. Exit 5 if a stack cannot be restored.",
  builder: (yargs: Argv<GlobalOptions>) =>
    yargs
      .positional("stage", { type: "string", demandOption: true, describe: "The stage to roll back" })
      .option("region", { type: "string", describe: "Only this region's stack" })
      .option("to", { type: "string", describe: "Return to this release id (from `dcp history`) instead of the previous release" })
      .option("current-program", {
        type: "boolean",
        default: false,
        describe: "Apply the old config with this checkout's infra/ instead of the program of the git revision that made the release",
      })
      .option("break-lease", { type: "string", describe: "Break the stage lease of a run that died, recording why. A release's lease needs no flag: the rollback takes it over and the release stops" })
      .check((a) => typeof a.breakLease !== "string" || a.breakLease.trim() !== "" || "--break-lease must say why the lease is broken")
      .example("$0 rollback prod", "Every prod region back to its previous release, in about the time of one update")
      .example("$0 rollback prod --region eu-west-1", "Only prod's eu-west-1 stack")
      .example("$0 rollback gamma --to 3f9c2a1b7d4e", "Gamma back to a named release")
      .example('$0 rollback beta --break-lease "laptop rollback crashed"', "Roll back although a dead rollback still holds beta's lease"),
  async run(args) {
    const { withPipeline } = load<typeof import("./pipeline-runtime")>("./pipeline-runtime");
    const { rollback } = load<typeof import("../pipeline/rollback")>("../pipeline/rollback");
    await withPipeline(args, (runtime) => {
      if (runtime.leaseNotice !== undefined) process.stderr.write(`note: ${runtime.leaseNotice}\n`);
      return rollback(
        runtime.envs,
        {
          stage: args.stage,
          ...(args.region !== undefined && { region: args.region }),
          ...(args.to !== undefined && { to: args.to }),
          currentProgram: args.currentProgram,
          ...(args.breakLease !== undefined && { breakLease: args.breakLease }),
          ...runtime.runOptions,
        },
        runtime.ports,
      );
    });
    return ExitCode.ok;
  },
};
