import { expect } from "chai";
import { requireEnvs } from "../../cli/config/envs";
import type { Envs } from "../../cli/config/model";
import { UsageError } from "../../cli/errors";
import { stageIam } from "../../cli/iam/stage-iam";
import { evaluate, isAllowed } from "../e2e/iam/evaluate";

const ACCOUNT = "222222222222";
const APP = `arn:aws:appconfig:us-east-1:${ACCOUNT}:application/abc1234`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/storefront-gamma-us-east-1-appconfig-alarms`;
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/dcp-boundary-storefront`;

describe("the IAM documents of a stage", () => {
  let envs: Envs;
  before(async () => {
    envs = await requireEnvs("envs");
  });

  const deploy = () => [stageIam(envs, "gamma").deployRole.policy];

  it("lets the deploy role create only the stage's monitoring roles, and only with the workload's boundary", () => {
    const create = (resource: string, context: Record<string, string>) => evaluate(deploy(), { action: "iam:CreateRole", resource, context });
    expect(create(ROLE, { "iam:PermissionsBoundary": BOUNDARY })).to.equal("allow");
    expect(create(ROLE, {})).to.equal("implicit-deny");
    expect(create(ROLE, { "iam:PermissionsBoundary": `arn:aws:iam::${ACCOUNT}:policy/AdministratorAccess` })).to.equal("implicit-deny");
    expect(create(`arn:aws:iam::${ACCOUNT}:role/admin`, { "iam:PermissionsBoundary": BOUNDARY })).to.equal("implicit-deny");
    expect(create(ROLE.replace("us-east-1", "ap-south-1"), { "iam:PermissionsBoundary": BOUNDARY })).to.equal("implicit-deny");
    expect(isAllowed(deploy(), { action: "iam:DeleteRolePermissionsBoundary", resource: ROLE })).to.equal(false);
    expect(isAllowed(deploy(), { action: "iam:AttachRolePolicy", resource: ROLE })).to.equal(false);
  });

  it("passes the monitoring roles to AppConfig and to no other service", () => {
    const pass = (service: string) => isAllowed(deploy(), { action: "iam:PassRole", resource: ROLE, context: { "iam:PassedToService": service } });
    expect(pass("appconfig.amazonaws.com")).to.equal(true);
    expect(pass("ec2.amazonaws.com")).to.equal(false);
    expect(pass("lambda.amazonaws.com")).to.equal(false);
  });

  it("touches AppConfig only on resources tagged with the workload, and creates them only so tagged", () => {
    const own = { "aws:ResourceTag/workload": "storefront" };
    expect(isAllowed(deploy(), { action: "appconfig:UpdateApplication", resource: APP, context: own })).to.equal(true);
    expect(isAllowed(deploy(), { action: "appconfig:DeleteApplication", resource: APP, context: { "aws:ResourceTag/workload": "payroll" } })).to.equal(false);
    expect(isAllowed(deploy(), { action: "appconfig:DeleteApplication", resource: APP })).to.equal(false);
    const createApp = (workload: string, region: string) =>
      isAllowed(deploy(), { action: "appconfig:CreateApplication", resource: "*", context: { "aws:RequestTag/workload": workload, "aws:RequestedRegion": region } });
    expect(createApp("storefront", "eu-west-1")).to.equal(true);
    expect(createApp("payroll", "eu-west-1")).to.equal(false);
    expect(createApp("storefront", "ap-south-1")).to.equal(false);
  });

  it("writes only the stage's alarms and alarm topic", () => {
    const alarm = (name: string) => `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:${name}`;
    expect(isAllowed(deploy(), { action: "cloudwatch:PutMetricAlarm", resource: alarm("storefront-gamma-checkout-5xx") })).to.equal(true);
    expect(isAllowed(deploy(), { action: "cloudwatch:DeleteAlarms", resource: alarm("storefront-prod-checkout-5xx") })).to.equal(false);
    const topic = (name: string) => `arn:aws:sns:eu-west-1:${ACCOUNT}:${name}`;
    expect(isAllowed(deploy(), { action: "sns:CreateTopic", resource: topic("storefront-gamma-alarms") })).to.equal(true);
    expect(isAllowed(deploy(), { action: "sns:SetTopicAttributes", resource: topic("billing-alerts") })).to.equal(false);
  });

  it("lets the pipeline role assume only the stage's deploy role, and read and write only the state prefix on S3", () => {
    envs.pipeline.state = "s3://acme-dcp-state/storefront/gamma?region=eu-west-1";
    const { pipelineRole } = stageIam(envs, "gamma");
    const pipeline = [pipelineRole.policy];
    expect(isAllowed(pipeline, { action: "sts:AssumeRole", resource: `arn:aws:iam::${ACCOUNT}:role/dcp-deploy` })).to.equal(true);
    expect(isAllowed(pipeline, { action: "sts:AssumeRole", resource: "arn:aws:iam::333333333333:role/dcp-deploy" })).to.equal(false);
    const object = (key: string) => `arn:aws:s3:::acme-dcp-state/${key}`;
    expect(isAllowed(pipeline, { action: "s3:PutObject", resource: object("storefront/gamma/.pulumi/stacks/storefront/gamma-us-east-1.json") })).to.equal(true);
    expect(isAllowed(pipeline, { action: "s3:PutObject", resource: object("storefront/prod/.pulumi/stacks/storefront/prod-us-east-1.json") })).to.equal(false);
    const list = (prefix: string) => isAllowed(pipeline, { action: "s3:ListBucket", resource: "arn:aws:s3:::acme-dcp-state", context: { "s3:prefix": prefix } });
    expect(list("storefront/gamma/.pulumi/history/")).to.equal(true);
    expect(list("storefront/prod/")).to.equal(false);
  });

  it("lets the pipeline role encrypt and decrypt with the KMS key of an awskms:// secrets provider, and no other key", () => {
    const key = (id: string, account = ACCOUNT) => `arn:aws:kms:eu-west-1:${account}:key/${id}`;
    const use = (pipeline: ReturnType<typeof stageIam>["pipelineRole"]["policy"], resource: string, aliases?: string[]) =>
      ["kms:Encrypt", "kms:Decrypt"].every((action) => isAllowed([pipeline], { action, resource, ...(aliases && { context: { "kms:ResourceAliases": aliases } }) }));
    envs.pipeline.secretsProvider = `awskms://${key("1234abcd-12ab-34cd-56ef-1234567890ab")}`;
    let pipeline = stageIam(envs, "gamma").pipelineRole.policy;
    expect(use(pipeline, key("1234abcd-12ab-34cd-56ef-1234567890ab"))).to.equal(true);
    expect(use(pipeline, key("ffffffff-12ab-34cd-56ef-1234567890ab"))).to.equal(false);
    expect(isAllowed([pipeline], { action: "kms:CreateGrant", resource: key("1234abcd-12ab-34cd-56ef-1234567890ab") })).to.equal(false);

    envs.pipeline.secretsProvider = "awskms://alias/storefront-state?region=eu-west-1";
    pipeline = stageIam(envs, "gamma").pipelineRole.policy;
    expect(use(pipeline, key("1234abcd-12ab-34cd-56ef-1234567890ab"), ["alias/storefront-state"])).to.equal(true);
    expect(use(pipeline, key("1234abcd-12ab-34cd-56ef-1234567890ab"), ["alias/other"])).to.equal(false);
    envs.pipeline.secretsProvider = `awskms://arn:aws:kms:eu-west-1:${ACCOUNT}:alias/storefront-state`;
    pipeline = stageIam(envs, "gamma").pipelineRole.policy;
    expect(use(pipeline, key("1234abcd-12ab-34cd-56ef-1234567890ab"), ["alias/storefront-state"])).to.equal(true);
    expect(use(pipeline, key("1234abcd-12ab-34cd-56ef-1234567890ab", "444444444444"), ["alias/storefront-state"])).to.equal(false);

    delete envs.pipeline.secretsProvider;
    pipeline = stageIam(envs, "gamma").pipelineRole.policy;
    expect(pipeline.Statement.flatMap((s) => s.Action ?? [])).not.to.include("kms:Decrypt");
  });

  it("trusts only this repository's jobs in the stage's GitHub environment, with tokens minted for STS", () => {
    const trust = stageIam(envs, "prod", "acme/storefront").pipelineRole.trustPolicy!;
    const assume = (sub: string, aud = "sts.amazonaws.com") =>
      isAllowed([trust], {
        action: "sts:AssumeRoleWithWebIdentity",
        resource: "*",
        context: { "token.actions.githubusercontent.com:sub": sub, "token.actions.githubusercontent.com:aud": aud },
      });
    expect(assume("repo:acme/storefront:environment:prod")).to.equal(true);
    expect(assume("repo:acme/storefront:ref:refs/heads/main")).to.equal(false);
    expect(assume("repo:acme/storefront:environment:gamma")).to.equal(false);
    expect(assume("repo:evil/storefront:environment:prod")).to.equal(false);
    expect(assume("repo:acme/storefront:environment:prod", "https://github.com/acme")).to.equal(false);
  });

  it("bounds every role the program creates to reading the workload's alarms", () => {
    const { permissionsBoundary } = stageIam(envs, "gamma");
    expect(permissionsBoundary.arn).to.equal(BOUNDARY);
    const boundary = [permissionsBoundary.policy];
    expect(isAllowed(boundary, { action: "cloudwatch:DescribeAlarms", resource: `arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:storefront-gamma-checkout-5xx` })).to.equal(true);
    expect(isAllowed(boundary, { action: "cloudwatch:DescribeAlarms", resource: `arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:payroll-5xx` })).to.equal(false);
    expect(isAllowed(boundary, { action: "iam:CreateRole", resource: ROLE })).to.equal(false);
  });

  it("refuses a stage envs/ does not declare", () => {
    expect(() => stageIam(envs, "staging")).to.throw(UsageError, /unknown stage "staging".*beta, gamma, prod/);
  });
});

describe("the IAM documents of a stage, for a repository that is not owner/repo", () => {
  it("refuses it rather than trust a `sub` no workflow carries", async () => {
    const envs = await requireEnvs("envs");
    expect(() => stageIam(envs, "prod", "storefront")).to.throw(UsageError, /--github-repo "storefront" is not owner\/repo/);
  });
});

describe("the bake's monitor role of a stage", () => {
  it("reads the workload's deployments and the alarm states and changes nothing, and the pipeline role may assume it", async () => {
    const envs = await requireEnvs("envs");
    const gamma = envs.stages.find((stage) => stage.name === "gamma")!;
    gamma.definition.monitorRole = `arn:aws:iam::${ACCOUNT}:role/dcp-monitor`;
    const iam = stageIam(envs, "gamma");
    const monitor = [iam.monitorRole.policy];
    const deployment = `${APP}/environment/env1234/deployment/3`;
    expect(isAllowed(monitor, { action: "appconfig:GetDeployment", resource: deployment, context: { "aws:ResourceTag/workload": "storefront" } })).to.equal(true);
    expect(isAllowed(monitor, { action: "appconfig:GetDeployment", resource: deployment, context: { "aws:ResourceTag/workload": "payroll" } })).to.equal(false);
    expect(isAllowed(monitor, { action: "cloudwatch:DescribeAlarms", resource: `arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:storefront-gamma-checkout-5xx` })).to.equal(true);
    for (const action of ["appconfig:StopDeployment", "cloudwatch:PutMetricAlarm", "cloudwatch:SetAlarmState", "appconfig:StartDeployment"]) {
      expect(isAllowed(monitor, { action, resource: deployment, context: { "aws:ResourceTag/workload": "storefront" } }), action).to.equal(false);
    }
    expect(isAllowed([iam.pipelineRole.policy], { action: "sts:AssumeRole", resource: `arn:aws:iam::${ACCOUNT}:role/dcp-monitor` })).to.equal(true);
  });
});
