import type { Argv } from "yargs";
import { ExitCode } from "../errors";
import { load, type DcpCommand, type GlobalOptions } from "./command";

interface IamArgs extends GlobalOptions {
  stage: string;
  githubRepo?: string;
}

export const iamCommand: DcpCommand<IamArgs> = {
  command: "iam",
  usage: "iam --stage <stage> [--github-repo owner/repo]",
  describe: "Print the least-privilege IAM a stage needs (deploy role, permissions boundary, pipeline role), from envs/. Offline.",
  builder: (yargs: Argv<GlobalOptions>) =>
    yargs
      .option("stage", { type: "string", demandOption: true, describe: "The stage whose roles to print" })
      .option("github-repo", { type: "string", describe: "owner/repo whose workflow assumes the pipeline role (GitHub OIDC `sub`)" })
      .example("$0 iam --stage prod --github-repo acme/storefront", "Every document prod needs, with the pipeline role's trust policy")
      .example("$0 iam --stage gamma --json", "The same as one JSON object, for Terraform or a script")
      .epilogue(
        "What to create, per stage. In the stage's account: the permissions boundary, a customer-managed policy of the " +
          "printed name, once per account before the first release (dcp creates roles only with it, and the deploy role " +
          "may create no other); the deploy role (`role` in the stage file) with the printed policy, trusting the pipeline " +
          "role. For the CI job: the pipeline role with the printed policy (assume the deploy role; read and write the S3 " +
          "state prefix) and, with --github-repo, the printed trust policy for GitHub's OIDC provider " +
          "(token.actions.githubusercontent.com, audience sts.amazonaws.com), which the workflow assumes as " +
          "DCP_PIPELINE_ROLE_ARN.",
      ),
  async run(args) {
    const { requireEnvs } = load<typeof import("../config/envs")>("../config/envs");
    const { stageIam } = load<typeof import("../iam/stage-iam")>("../iam/stage-iam");
    const { renderStageIam } = load<typeof import("../ui/iam-view")>("../ui/iam-view");
    const iam = stageIam(await requireEnvs(args.envs), args.stage, args.githubRepo);
    process.stdout.write(args.json ? `${JSON.stringify(iam)}\n` : renderStageIam(iam));
    return ExitCode.ok;
  },
};
