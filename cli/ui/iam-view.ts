import type { StageIam } from "../iam/stage-iam";
import type { PolicyDocument } from "../iam/policy-document";
import { bold, dim } from "./style";

function section(title: string, where: string, document: PolicyDocument): string {
  return `${bold(title)}\n${dim(where)}\n${JSON.stringify(document, null, 2)}\n`;
}

/** The documents in the order a platform team creates them. */
export function renderStageIam(iam: StageIam): string {
  const parts = [
    section(
      `permissions boundary ${iam.permissionsBoundary.name}`,
      `a customer-managed policy in account ${iam.account} (${iam.permissionsBoundary.arn}); every role dcp creates carries it`,
      iam.permissionsBoundary.policy,
    ),
    section(`deploy role ${iam.deployRole.arn}`, "its permissions policy; its trust policy names the pipeline role", iam.deployRole.policy),
    section(
      `monitor role ${iam.monitorRole.arn ?? "(none: name one as monitorRole in the stage file)"}`,
      "read-only, assumed by the bake; without it the bake reads with the deploy role",
      iam.monitorRole.policy,
    ),
    section("pipeline role", `its permissions policy (state backend: ${iam.state})`, iam.pipelineRole.policy),
  ];
  parts.push(
    iam.pipelineRole.trustPolicy === undefined
      ? dim("pipeline role trust policy: pass --github-repo owner/repo to print it\n")
      : section("pipeline role trust policy", `GitHub OIDC, environment ${iam.stage} only`, iam.pipelineRole.trustPolicy),
  );
  return parts.join("\n");
}
