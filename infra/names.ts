import { createHash } from "node:crypto";

/** AWS's length limits on the names dcp generates (IAM CreateRole RoleName; AppConfig CreateDeploymentStrategy Name). */
export const NAME_LIMITS = { iamRole: 64, deploymentStrategy: 64 } as const;

/**
 * A generated name within AWS's limit. Long workload, stage and region names must not
 * fail a release: a name over the limit keeps its readable start and ends in a hash of
 * the whole, so two long names that share a start stay distinct.
 */
export function boundedName(name: string, limit: number): string {
  if (name.length <= limit) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
  return `${name.slice(0, limit - hash.length - 1)}-${hash}`;
}

/**
 * The managed policy every role the program creates is bounded by. A convention rather than
 * a setting: the deploy role may create roles only with this boundary, so its name must be
 * known before the first release; the platform team creates it once per account
 * (`dcp iam` prints it).
 */
export function permissionsBoundaryArn(roleArn: string, account: string, workload: string): string {
  const partition = roleArn.split(":")[1] ?? "aws";
  return `arn:${partition}:iam::${account}:policy/dcp-boundary-${workload}`;
}

/** The role AppConfig assumes to read a stage's alarms in one region: IAM names are global to the account. */
export function monitoringRoleName(workload: string, stage: string, region: string): string {
  return boundedName(`${workload}-${stage}-${region}-appconfig-alarms`, NAME_LIMITS.iamRole);
}
