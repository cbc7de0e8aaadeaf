import { writeFileSync } from "node:fs";
import type { Argv } from "yargs";
import { ExitCode } from "../errors";
import { load, type DcpCommand, type GlobalOptions } from "./command";

interface FlagsArgs extends GlobalOptions {
  html?: string;
  deployed: boolean;
  "stale-days": number;
}

export const flagsCommand: DcpCommand<FlagsArgs> = {
  command: "flags",
  describe:
    "The flag matrix: every catalogued flag × every stage (regions apart only where they differ), with owner and expiry, marking expired flags, removal candidates (from release history), flags enabled nowhere and flags no stage sets. Reads the state backend, not the cloud.",
  builder: (yargs: Argv<GlobalOptions>) =>
    yargs
      .option("html", { type: "string", describe: "Also write the matrix as one self-contained HTML page, filterable by owner and mark, to this file" })
      .option("deployed", { type: "boolean", default: false, describe: "Show what each stack runs (its last successful release) beside what envs/ wants" })
      .option("stale-days", { type: "number", default: 30, describe: "Days a flag must have been on with one value on every stack to be a removal candidate" })
      .check((a) => (Number.isInteger(a["stale-days"]) && a["stale-days"] >= 0) || "--stale-days must be a whole number of days, 0 or more")
      .example("$0 flags", "Every flag in every stage, with its marks")
      .example("$0 flags --deployed --html flags.html", "Also what is live, as a page to share"),
  async run(args) {
    const { withPipeline } = load<typeof import("./pipeline-runtime")>("./pipeline-runtime");
    const { flagReport } = load<typeof import("../flags/report")>("../flags/report");
    await withPipeline(args, async (runtime) => {
      const matrix = await flagReport(runtime.envs, runtime.ports, { staleDays: args["stale-days"], deployed: args.deployed });
      if (args.html !== undefined) {
        const { renderFlagMatrixHtml } = load<typeof import("../ui/flags-html")>("../ui/flags-html");
        // eslint-disable-next-line security/detect-non-literal-fs-filename -- the file the operator named with --html
        writeFileSync(args.html, renderFlagMatrixHtml(matrix, `${runtime.envs.pipeline.workload}: feature flags`));
        process.stderr.write(`dcp: wrote the flag matrix to ${args.html}\n`);
      }
      if (args.json) process.stdout.write(`${JSON.stringify(matrix)}\n`);
      else process.stdout.write(`${load<typeof import("../ui/flags-view")>("../ui/flags-view").renderFlagMatrix(matrix)}\n`);
    });
    return ExitCode.ok;
  },
};
