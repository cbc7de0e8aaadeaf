import { Provider, type ProviderArgs } from "@pulumi/aws/provider";
import { endpointProblem } from "./endpoint";
import type { StackConfig } from "./stack-config";
import { stackTags } from "./tags";

/** The AWS services the program talks to: with an endpoint override, all of them must go there. */
const SERVICES_USED = ["appconfig", "cloudwatch", "iam", "sns", "sts"] as const;

/** AWS allows at most 64 characters of `[\w+=,.@-]` in a role session name. */
const SESSION_NAME_MAX = 64;

/**
 * Provider settings for one stack: the stage's account reached by assuming its deploy
 * role (no long-lived keys), the stack's region, and the tags every resource inherits.
 */
export function stageProviderArgs(config: StackConfig): ProviderArgs {
  const sessionSuffix = config.metadata ? `-${config.metadata.releaseId}` : "";
  const args: ProviderArgs = {
    region: config.region,
    assumeRoles: [
      {
        roleArn: config.role,
        sessionName: `dcp-${config.workload}-${config.stage}${sessionSuffix}`.slice(0, SESSION_NAME_MAX),
      },
    ],
    defaultTags: { tags: stackTags(config) },
  };
  // A wrong role ARN in a stage file must not land a stage's resources in another account.
  const guarded: ProviderArgs = { ...args, allowedAccountIds: [config.account] };
  if (config.endpoint === undefined) return guarded;
  // validate refuses this in envs/; a recorded StackConfig (a rollback) is held to the same rule.
  const problem = endpointProblem(config.endpoint, config.production);
  if (problem !== undefined) throw new Error(`stack ${config.stage}-${config.region}: ${problem}`);
  // A local AWS (LocalStack, moto): every service at one endpoint. The account is still
  // looked up through STS there: pulumi-aws builds AppConfig ARNs from it (and reads
  // tags by ARN), so skipping the lookup leaves ARNs with an empty account that AWS rejects.
  const endpoint = Object.fromEntries(SERVICES_USED.map((service) => [service, config.endpoint]));
  return { ...guarded, endpoints: [endpoint], skipMetadataApiCheck: true, s3UsePathStyle: true };
}

export function declareStageProvider(config: StackConfig): Provider {
  return new Provider("stage", stageProviderArgs(config));
}
