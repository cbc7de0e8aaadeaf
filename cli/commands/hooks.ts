import type { Argv } from "yargs";
import { ExitCode } from "../errors";
import { load, type DcpCommand, type GlobalOptions } from "./command";

interface HooksArgs extends GlobalOptions {
  force: boolean;
}

export const hooksInstallCommand: DcpCommand<HooksArgs> = {
  command: "hooks install",
  describe: "Install a git pre-commit hook that runs `dcp validate`",
  builder: (yargs: Argv<GlobalOptions>) =>
    yargs
      .option("force", { type: "boolean", default: false, describe: "Replace a pre-commit hook that dcp did not write" })
      .example("$0 hooks install", "Validate envs/ before every commit")
      .example("$0 hooks install --force", "Replace an existing foreign hook"),
  async run(args) {
    const { installPreCommitHook } = load<typeof import("../hooks/pre-commit")>("../hooks/pre-commit");
    const result = await installPreCommitHook(process.cwd(), { envsDir: args.envs, force: args.force });
    const verb = result.replaced === "none" ? "installed" : result.replaced === "dcp" ? "updated" : "replaced the existing hook with";
    if (args.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else process.stdout.write(`${verb} ${result.path}: every commit now runs dcp validate\n`);
    return ExitCode.ok;
  },
};
