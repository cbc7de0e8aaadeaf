import { partitionOf, policy, type PolicyDocument, type PolicyStatement, type StageScope } from "./policy-document";

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
 * The KMS key an `awskms://` secrets provider names (gocloud.dev secrets/awskms: a key id, key
 * ARN, alias name or alias ARN, then `?region=…`), as an IAM resource and, for an alias, the
 * condition that picks the key it points to. Undefined for other providers.
 */
export function kmsKeyGrant(secretsProvider: string | undefined, partition: string): Pick<PolicyStatement, "Resource" | "Condition"> | undefined {
  const scheme = "awskms://";
  if (secretsProvider?.startsWith(scheme) !== true) return undefined;
  const [path = "", query = ""] = secretsProvider.slice(scheme.length).split("?", 2);
  const key = decodeURIComponent(path.replace(/^\//, ""));
  const region = new URLSearchParams(query).get("region") ?? "*";
  const aliased = (resource: string, alias: string) => ({ Resource: resource, Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": alias } } });
  if (key.startsWith("alias/")) return aliased(`arn:${partition}:kms:${region}:*:key/*`, key);
  if (!key.startsWith("arn:")) return { Resource: `arn:${partition}:kms:${region}:*:key/${key}` };
  // arn:<partition>:kms:<region>:<account>:key/<id> or …:alias/<name>
  const [, arnPartition, , arnRegion, account, resource = ""] = key.split(":");
  if (!resource.startsWith("alias/")) return { Resource: key };
  return aliased(`arn:${arnPartition}:kms:${arnRegion}:${account}:key/*`, resource);
}

/**
 * What the pipeline role itself does: assume the stage's deploy role (dcp does, for every
 * stack) and its monitor role (the bake; the deploy role without one), and read and write the Pulumi state backend, which Pulumi
 * reaches with the ambient credentials — that prefix only, when the backend is S3 — and, with a
 * KMS secrets provider, encrypt and decrypt with its key (Pulumi wraps each stack's data key
 * with kms:Encrypt when it creates the stack and unwraps it with kms:Decrypt: pulumi/pulumi
 * pkg/secrets/cloud).
 */
export function pipelineRolePolicy(scope: Pick<StageScope, "role" | "monitorRole">, state: string, secretsProvider?: string): PolicyDocument {
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
  const kms = kmsKeyGrant(secretsProvider, partitionOf(scope.role));
  if (kms !== undefined) statements.push({ Sid: "StateSecrets", Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt"], ...kms });
  return policy(statements);
}
