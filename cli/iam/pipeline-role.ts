import { partitionOf, policy, type PolicyDocument, type StageScope } from "./policy-document";

/** GitHub Actions' OIDC provider, as IAM names it (GitHub Docs, "Configuring OpenID Connect in Amazon Web Services"). */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";

/**
 * Who may assume a stage's pipeline role: only a job of this repository running in the
 * stage's GitHub environment (`sub`), with a token minted for STS (`aud`). The environment's
 * protection rules (prod's reviewers) are then what stands between a branch and prod.
 */
export function pipelineTrustPolicy(args: { pipelineAccount: string; partition: string; githubRepo: string; stage: string }): PolicyDocument {
  return policy([
    {
      Effect: "Allow",
      Principal: { Federated: `arn:${args.partition}:iam::${args.pipelineAccount}:oidc-provider/${GITHUB_OIDC_HOST}` },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: {
          [`${GITHUB_OIDC_HOST}:aud`]: "sts.amazonaws.com",
          [`${GITHUB_OIDC_HOST}:sub`]: `repo:${args.githubRepo}:environment:${args.stage}`,
        },
      },
    },
  ]);
}

/** `s3://bucket/prefix?region=…` → bucket and prefix (no slashes at either end); undefined for other backends. */
export function s3State(url: string): { bucket: string; prefix: string } | undefined {
  const match = /^s3:\/\/([^/?]+)\/?([^?]*)/.exec(url);
  if (!match) return undefined;
  return { bucket: match[1]!, prefix: match[2]!.replace(/^\/+|\/+$/g, "") };
}

/**
 * What the pipeline role itself does: assume the stage's deploy role (dcp does, for every
 * stack) and its monitor role (the bake; the deploy role without one), and read and write the Pulumi state backend, which Pulumi
 * reaches with the ambient credentials — that prefix only, when the backend is S3.
 */
export function pipelineRolePolicy(scope: Pick<StageScope, "role" | "monitorRole">, state: string): PolicyDocument {
  const roles = scope.monitorRole === undefined ? scope.role : [scope.role, scope.monitorRole];
  const statements: PolicyDocument["Statement"] = [
    { Sid: "AssumeStageRoles", Effect: "Allow", Action: "sts:AssumeRole", Resource: roles },
  ];
  const s3 = s3State(state);
  if (s3 !== undefined) {
    const partition = partitionOf(scope.role);
    const objects = s3.prefix === "" ? "*" : `${s3.prefix}/*`;
    statements.push(
      {
        Sid: "StateObjects",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        Resource: `arn:${partition}:s3:::${s3.bucket}/${objects}`,
      },
      {
        Sid: "ListState",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: `arn:${partition}:s3:::${s3.bucket}`,
        ...(s3.prefix === "" ? {} : { Condition: { StringLike: { "s3:prefix": [s3.prefix, `${s3.prefix}/*`] } } }),
      },
    );
  }
  return policy(statements);
}
