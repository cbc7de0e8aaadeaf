import type { Argv } from "yargs";
import { ExitCode } from "../errors";
import { load, type DcpCommand, type GlobalOptions } from "./command";

interface ReleaseArgs extends GlobalOptions {
  to: string;
  stage?: string;
  region?: string;
  parallel?: number;
  "dry-run": boolean;
  approve: boolean;
  "current-program": boolean;
  "break-lease"?: string;
  "skip-soak": boolean;
  reason?: string;
  report?: string;
  markdown?: string;
}

export const releaseCommand: DcpCommand<ReleaseArgs> = {
  command: "release",
  usage: "release --to <stage> [options]",
  describe:
    "Release envs/ progressively: every stage up to --to in order, each wave previewed with the policy pack, updated, then baked while its alarms are watched; a failure rolls back the stage.",
  builder: (yargs: Argv<GlobalOptions>) =>
    yargs
      .option("to", { type: "string", demandOption: true, describe: "Last stage to release; the stages before it come first" })
      .option("stage", { type: "string", describe: "Release only this stage (one of the stages up to --to)" })
      .option("region", { type: "string", describe: "Release only this region's stacks" })
      .option("parallel", { type: "number", describe: "Stacks updated at once within a wave (default: the whole wave)" })
      .option("dry-run", { type: "boolean", default: false, describe: "Preview every wave with the policy pack; deploy nothing" })
      .option("approve", { type: "boolean", default: false, describe: "Approve manual stages (prod) without asking: for CI, once a person approved the run" })
      .option("current-program", { type: "boolean", default: false, describe: "If a rollback is needed, run it with this checkout's infra/ rather than the release's git revision" })
      .option("skip-soak", { type: "boolean", default: false, describe: "Release into stages with promotion.minSoakMinutes before the changes have soaked; needs --reason" })
      .option("reason", { type: "string", describe: "Why the soak is skipped: recorded in the release and shown by status and history" })
      .option("report", { type: "string", describe: "Write the verify checks' runs to this file as JUnit XML, pass or fail, for CI test reports" })
      .option("markdown", { type: "string", describe: "Append each stage's value diff, the waves and their outcome and the policy results to this file as GitHub Markdown (e.g. $GITHUB_STEP_SUMMARY)" })
      .option("break-lease", { type: "string", describe: "Break the stage lease of a run that died (not renewed for a minute), recording why; a refused run names the holder" })
      .check((a) => typeof a.breakLease !== "string" || a.breakLease.trim() !== "" || "--break-lease must say why the lease is broken")
      .check((a) => a.skipSoak === (a.reason !== undefined) || "--skip-soak and --reason go together: say why the soak is skipped")
      .check((a) => a.reason === undefined || a.reason.trim() !== "" || "--reason must say why the soak is skipped")
      .check((a) => a.parallel === undefined || (Number.isInteger(a.parallel) && a.parallel >= 1) || "--parallel must be a whole number of at least 1")
      .example("$0 release --to gamma", "Beta, then gamma, wave by wave")
      .example("$0 release --to prod --approve --json", "All the way to prod from CI, one JSON event per line")
      .example("$0 release --to prod --stage prod --region eu-west-1", "Only prod's eu-west-1 stack")
      .example("$0 release --to gamma --json --report reports/verify.xml", "Checks' results as a JUnit test report for CI")
      .example("$0 release --to prod --dry-run", "Every preview and policy result, nothing deployed")
      .example('$0 release --to beta --break-lease "CI runner 4711 was killed mid-bake"', "Release although a dead run still holds beta's lease")
      .example('$0 release --to prod --approve --skip-soak --reason "INC-4711: disable saved-cards now"', "An urgent change that cannot wait for its soak in gamma"),
  async run(args) {
    const { withPipeline } = load<typeof import("./pipeline-runtime")>("./pipeline-runtime");
    const { runShowingDiffs } = load<typeof import("./diff-showing-run")>("./diff-showing-run");
    const { release } = load<typeof import("../pipeline/release")>("../pipeline/release");
    const selection = { to: args.to, ...(args.stage !== undefined && { stage: args.stage }), ...(args.region !== undefined && { region: args.region }) };
    const title = `dcp release --to ${args.to}${args.stage !== undefined ? ` --stage ${args.stage}` : ""}${args.region !== undefined ? ` --region ${args.region}` : ""}${args.dryRun ? " --dry-run" : ""}`;
    await withPipeline(args, async (runtime) => {
      if (runtime.leaseNotice !== undefined && !args.dryRun) process.stderr.write(`note: ${runtime.leaseNotice}\n`);
      try {
        await runShowingDiffs(runtime, selection, { ...(args.markdown !== undefined && { file: args.markdown }), title }, (ports) => release(
          runtime.envs,
          {
            ...selection,
            ...(args.parallel !== undefined && { parallel: args.parallel }),
            dryRun: args.dryRun,
            approve: args.approve,
            currentProgram: args.currentProgram,
            ...(args.breakLease !== undefined && { breakLease: args.breakLease }),
            ...(args.skipSoak && args.reason !== undefined && { skipSoak: { reason: args.reason } }),
            ...runtime.runOptions,
          },
          ports,
        ));
      } finally {
        // A report that cannot be written must not hide how the release itself ended.
        if (args.report !== undefined) {
          await runtime.checkReport.write(args.report).catch((error: unknown) => {
            process.stderr.write(`dcp: could not write the check report to ${args.report}: ${(error as Error).message}\n`);
          });
        }
      }
    });
    return ExitCode.ok;
  },
};
