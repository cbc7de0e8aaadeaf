import { partitionOf, policy, type PolicyDocument, type StageScope } from "./policy-document";

/**
 * The read-only role the bake assumes (`monitorRole` in the stage file): alarm states and the
 * workload's AppConfig deployments, nothing it could change. DescribeAlarms reads every alarm
 * of a stage in one call; GetDeployment is scoped by the workload tag as the deploy role's
 * AppConfig statements are (see deploy-role.ts).
 */
export function monitorRolePolicy(scope: StageScope): PolicyDocument {
  const partition = partitionOf(scope.role);
  const perRegion = (service: string, resource: string) =>
    scope.regions.map((region) => `arn:${partition}:${service}:${region}:${scope.account}:${resource}`);
  return policy([
    { Sid: "ReadAlarmStates", Effect: "Allow", Action: ["cloudwatch:DescribeAlarms"], Resource: perRegion("cloudwatch", "alarm:*") },
    {
      Sid: "ReadOwnDeployments",
      Effect: "Allow",
      Action: ["appconfig:GetDeployment"],
      Resource: perRegion("appconfig", "application/*"),
      Condition: { StringEquals: { "aws:ResourceTag/workload": scope.workload } },
    },
  ]);
}
