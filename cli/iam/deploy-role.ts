import { monitoringRoleName, permissionsBoundaryArn } from "../../infra/names";
import { partitionOf, policy, type PolicyDocument, type StageScope } from "./policy-document";

/**
 * The least privilege a stage's deploy role needs for the program in infra/ and the bake:
 * each resource the program names, in the stage's account and regions, and nothing else.
 *
 * AppConfig ARNs carry ids AWS chooses, so AppConfig is scoped by the `workload` tag the
 * provider's default tags put on everything (infra/tags.ts): `aws:RequestTag` where a
 * resource is created, `aws:ResourceTag` where one is used. Which action supports which key
 * follows the Service Authorization Reference, "Actions, resources, and condition keys for
 * AWS AppConfig": CreateApplication and CreateDeploymentStrategy name no resource type (only
 * `Resource: "*"`, with `aws:RequestTag`); CreateEnvironment, CreateConfigurationProfile and
 * StartDeployment take `aws:RequestTag`; the application, environment, configuration profile,
 * deployment strategy and deployment resource types take `aws:ResourceTag`; a hosted
 * configuration version takes no tag and is reached through its profile, or read by ARN.
 */
export function deployRolePolicy(scope: StageScope): PolicyDocument {
  const { workload, stage, account, regions } = scope;
  const partition = partitionOf(scope.role);
  const perRegion = (service: string, resource: string) =>
    regions.map((region) => `arn:${partition}:${service}:${region}:${account}:${resource}`);
  const roles = regions.map((region) => `arn:${partition}:iam::${account}:role/${monitoringRoleName(workload, stage, region)}`);
  const ownTag = { "aws:RequestTag/workload": workload };
  const taggedOwn = { "aws:ResourceTag/workload": workload };
  return policy([
    {
      Sid: "AppConfigCreateTopLevel",
      Effect: "Allow",
      Action: ["appconfig:CreateApplication", "appconfig:CreateDeploymentStrategy"],
      Resource: "*",
      Condition: { StringEquals: { ...ownTag, "aws:RequestedRegion": regions } },
    },
    {
      Sid: "AppConfigCreateInOwnApplication",
      Effect: "Allow",
      Action: ["appconfig:CreateEnvironment", "appconfig:CreateConfigurationProfile", "appconfig:StartDeployment"],
      Resource: [...perRegion("appconfig", "application/*"), ...perRegion("appconfig", "deploymentstrategy/*")],
      Condition: { StringEquals: { ...ownTag, ...taggedOwn } },
    },
    {
      Sid: "AppConfigUseOwn",
      Effect: "Allow",
      Action: [
        "appconfig:GetApplication",
        "appconfig:UpdateApplication",
        "appconfig:DeleteApplication",
        "appconfig:GetEnvironment",
        "appconfig:UpdateEnvironment",
        "appconfig:DeleteEnvironment",
        "appconfig:GetConfigurationProfile",
        "appconfig:UpdateConfigurationProfile",
        "appconfig:DeleteConfigurationProfile",
        "appconfig:CreateHostedConfigurationVersion",
        "appconfig:GetDeploymentStrategy",
        "appconfig:UpdateDeploymentStrategy",
        "appconfig:DeleteDeploymentStrategy",
        "appconfig:GetDeployment",
        "appconfig:StopDeployment",
        // dcp's own deployment control (cli/health/appconfig-control.ts): what is rolling out
        // before a rollback stops it, and the versions of a component being removed.
        "appconfig:ListDeployments",
        "appconfig:ListHostedConfigurationVersions",
        "appconfig:ListTagsForResource",
        "appconfig:TagResource",
        "appconfig:UntagResource",
      ],
      Resource: [...perRegion("appconfig", "application/*"), ...perRegion("appconfig", "deploymentstrategy/*")],
      Condition: { StringEquals: taggedOwn },
    },
    {
      // Hosted versions carry no tags. Releases retain them (infra/appconfig/profiles.ts); dcp
      // deletes them only to remove a component's profile (cli/pipeline/apply-stack.ts).
      Sid: "AppConfigHostedVersions",
      Effect: "Allow",
      Action: ["appconfig:GetHostedConfigurationVersion", "appconfig:DeleteHostedConfigurationVersion"],
      Resource: perRegion("appconfig", "application/*/configurationprofile/*/hostedconfigurationversion/*"),
    },
    {
      Sid: "StageAlarms",
      Effect: "Allow",
      Action: [
        "cloudwatch:PutMetricAlarm",
        "cloudwatch:DeleteAlarms",
        "cloudwatch:ListTagsForResource",
        "cloudwatch:TagResource",
        "cloudwatch:UntagResource",
      ],
      // infra/alarms.ts names every alarm `<workload>-<stage>-<alarm>`.
      Resource: perRegion("cloudwatch", `alarm:${workload}-${stage}-*`),
    },
    {
      // The bake reads all of a stage's alarms in one call; reading alarm states discloses no configuration.
      Sid: "ReadAlarmStates",
      Effect: "Allow",
      Action: ["cloudwatch:DescribeAlarms"],
      Resource: perRegion("cloudwatch", "alarm:*"),
    },
    {
      Sid: "StageAlarmTopic",
      Effect: "Allow",
      Action: [
        "sns:CreateTopic",
        "sns:DeleteTopic",
        "sns:GetTopicAttributes",
        "sns:SetTopicAttributes",
        "sns:ListTagsForResource",
        "sns:TagResource",
        "sns:UntagResource",
      ],
      Resource: perRegion("sns", `${workload}-${stage}-alarms`),
    },
    {
      Sid: "CreateMonitoringRolesOnlyBounded",
      Effect: "Allow",
      Action: ["iam:CreateRole", "iam:PutRolePermissionsBoundary"],
      Resource: roles,
      Condition: { StringEquals: { "iam:PermissionsBoundary": permissionsBoundaryArn(scope.role, account, workload) } },
    },
    {
      Sid: "ManageMonitoringRoles",
      Effect: "Allow",
      Action: [
        "iam:GetRole",
        "iam:UpdateRole",
        "iam:UpdateAssumeRolePolicy",
        "iam:DeleteRole",
        "iam:TagRole",
        "iam:UntagRole",
        "iam:ListRolePolicies",
        "iam:GetRolePolicy",
        "iam:PutRolePolicy",
        "iam:DeleteRolePolicy",
        "iam:ListAttachedRolePolicies",
        "iam:ListInstanceProfilesForRole",
      ],
      Resource: roles,
    },
    {
      // AppConfig assumes the monitoring role to read the alarms (AppConfig User Guide,
      // "Configuring permissions for automatic rollback"): passing it is part of CreateEnvironment.
      Sid: "PassMonitoringRolesToAppConfig",
      Effect: "Allow",
      Action: ["iam:PassRole"],
      Resource: roles,
      Condition: { StringEquals: { "iam:PassedToService": "appconfig.amazonaws.com" } },
    },
  ]);
}

/**
 * The ceiling of every role the program creates, whatever policy the program (or a changed
 * program) puts on it: reading the workload's alarms. One per workload and account.
 */
export function permissionsBoundaryPolicy(scope: Pick<StageScope, "workload" | "account" | "role">): PolicyDocument {
  const partition = partitionOf(scope.role);
  return policy([
    {
      Sid: "ReadWorkloadAlarms",
      Effect: "Allow",
      Action: ["cloudwatch:DescribeAlarms"],
      Resource: `arn:${partition}:cloudwatch:*:${scope.account}:alarm:${scope.workload}-*`,
    },
  ]);
}
