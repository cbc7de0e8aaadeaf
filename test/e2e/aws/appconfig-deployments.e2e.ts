// AppConfig deployments and the Data API, through the AWS SDK v3 clients against
// startLocalAws(). Time is compressed (minuteMs); assertions are on states and their order,
// never on how long a step took.
import { DeleteEnvironmentCommand, GetEnvironmentCommand, ListDeploymentsCommand, StartDeploymentCommand, StopDeploymentCommand } from "@aws-sdk/client-appconfig";
import { PutMetricAlarmCommand } from "@aws-sdk/client-cloudwatch";
import { expect } from "chai";
import { hostedProfile, hostVersion, rejection, REGION, strategy, useLocalAws, waitForDeployment, type Hosted } from "./fixtures";

const MINUTE_MS = 50;

describe("local AppConfig: deployments", () => {
  const h = useLocalAws(MINUTE_MS);

  const deploy = (hosted: Hosted, strategyId: string, version: string) =>
    h.appconfig.send(
      new StartDeploymentCommand({
        ApplicationId: hosted.applicationId,
        EnvironmentId: hosted.environmentId,
        ConfigurationProfileId: hosted.profileId,
        DeploymentStrategyId: strategyId,
        ConfigurationVersion: version,
      }),
    );
  const environmentState = async (hosted: Hosted) =>
    (await h.appconfig.send(new GetEnvironmentCommand({ ApplicationId: hosted.applicationId, EnvironmentId: hosted.environmentId }))).State;
  const served = (hosted: Hosted) => h.aws.served(REGION, hosted.applicationId, hosted.environmentId, hosted.profileId);

  async function alarmedProfile(alarmName: string): Promise<Hosted> {
    await h.cloudwatch.send(
      new PutMetricAlarmCommand({ AlarmName: alarmName, MetricName: "Errors", Namespace: "dcp", Statistic: "Sum", Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: "GreaterThanThreshold" }),
    );
    const AlarmArn = `arn:aws:cloudwatch:${REGION}:123456789012:alarm:${alarmName}`;
    return hostedProfile(h.appconfig, { monitors: [{ AlarmArn, AlarmRoleArn: "arn:aws:iam::123456789012:role/appconfig-monitor" }] });
  }

  it("completes a 0-minute deployment at once and serves it", async () => {
    const hosted = await hostedProfile(h.appconfig);
    const version = await hostVersion(h.appconfig, hosted, { limit: 1 });
    const started = await deploy(hosted, await strategy(h.appconfig, 0, 0), version);
    expect(started).to.include({ State: "COMPLETE", PercentageComplete: 100, DeploymentNumber: 1 });
    expect(await served(hosted)).to.deep.equal({ limit: 1 });
    expect(await environmentState(hosted)).to.equal("READY_FOR_DEPLOYMENT");
  });

  it("goes DEPLOYING → BAKING → COMPLETE, growing PercentageComplete, with an event log newest first", async () => {
    const hosted = await hostedProfile(h.appconfig);
    const version = await hostVersion(h.appconfig, hosted, { limit: 2 });
    const started = await deploy(hosted, await strategy(h.appconfig, 4, 4, 25), version);
    expect(started.State).to.equal("DEPLOYING");
    expect(started.PercentageComplete).to.be.lessThan(100);
    expect(await environmentState(hosted)).to.equal("DEPLOYING");
    const baking = await waitForDeployment(h.appconfig, hosted, 1, (d) => d.State !== "DEPLOYING");
    expect(baking).to.include({ State: "BAKING", PercentageComplete: 100 });
    const complete = await waitForDeployment(h.appconfig, hosted, 1, (d) => d.State === "COMPLETE");
    expect(complete.CompletedAt).to.be.instanceOf(Date);
    const events = complete.EventLog?.map((e) => e.EventType) ?? [];
    expect(events[0]).to.equal("DEPLOYMENT_COMPLETED");
    expect(events.at(-1)).to.equal("DEPLOYMENT_STARTED");
    expect(events).to.include.members(["PERCENTAGE_UPDATED", "BAKE_TIME_STARTED"]);
    expect(await environmentState(hosted)).to.equal("READY_FOR_DEPLOYMENT");
  });

  it("refuses a second deployment to an environment while one is in progress", async () => {
    const hosted = await hostedProfile(h.appconfig);
    const version = await hostVersion(h.appconfig, hosted, { limit: 3 });
    const slow = await strategy(h.appconfig, 60, 60);
    await deploy(hosted, slow, version);
    const error = await rejection(deploy(hosted, slow, version));
    expect(error.name).to.equal("ConflictException");
  });

  it("refuses to delete an environment while a deployment is in progress", async () => {
    const hosted = await hostedProfile(h.appconfig);
    await deploy(hosted, await strategy(h.appconfig, 60, 60), await hostVersion(h.appconfig, hosted, { limit: 4 }));
    const key = { ApplicationId: hosted.applicationId, EnvironmentId: hosted.environmentId };
    const error = await rejection(h.appconfig.send(new DeleteEnvironmentCommand(key)));
    expect(error.name).to.equal("ConflictException");
  });

  it("keeps serving the previous version while deploying and serves the new one from the bake on", async () => {
    const hosted = await hostedProfile(h.appconfig);
    await deploy(hosted, await strategy(h.appconfig, 0, 0), await hostVersion(h.appconfig, hosted, { limit: 1 }));
    await deploy(hosted, await strategy(h.appconfig, 6, 60), await hostVersion(h.appconfig, hosted, { limit: 2 }));
    expect(await served(hosted)).to.deep.equal({ limit: 1 });
    await waitForDeployment(h.appconfig, hosted, 2, (d) => d.State === "BAKING");
    expect(await served(hosted)).to.deep.equal({ limit: 2 });
  });

  it("rolls back when a monitor alarm goes to ALARM while baking, and serves the previous version again", async () => {
    const hosted = await alarmedProfile("bake-errors");
    await deploy(hosted, await strategy(h.appconfig, 0, 0), await hostVersion(h.appconfig, hosted, { limit: 1 }));
    await deploy(hosted, await strategy(h.appconfig, 0, 600), await hostVersion(h.appconfig, hosted, { limit: 2 }));
    expect(await served(hosted)).to.deep.equal({ limit: 2 });
    await h.aws.setAlarmState(REGION, "bake-errors", "ALARM");
    const rolledBack = await waitForDeployment(h.appconfig, hosted, 2, (d) => d.State !== "BAKING");
    expect(rolledBack.State).to.equal("ROLLED_BACK");
    expect(rolledBack.EventLog?.[0]).to.include({ EventType: "ROLLBACK_COMPLETED", TriggeredBy: "CLOUDWATCH_ALARM" });
    expect(await environmentState(hosted)).to.equal("ROLLED_BACK");
    expect(await served(hosted)).to.deep.equal({ limit: 1 });
  });

  it("rolls back when a monitor alarm goes to ALARM while deploying", async () => {
    const hosted = await alarmedProfile("deploy-errors");
    await deploy(hosted, await strategy(h.appconfig, 600, 0), await hostVersion(h.appconfig, hosted, { limit: 1 }));
    await h.aws.setAlarmState(REGION, "deploy-errors", "ALARM");
    const rolledBack = await waitForDeployment(h.appconfig, hosted, 1, (d) => d.State !== "DEPLOYING");
    expect(rolledBack.State).to.equal("ROLLED_BACK");
    expect(await served(hosted)).to.equal(undefined);
  });

  it("rolls an in-progress deployment back on StopDeployment, and reverts a completed one only with AllowRevert", async () => {
    const hosted = await hostedProfile(h.appconfig);
    const key = { ApplicationId: hosted.applicationId, EnvironmentId: hosted.environmentId };
    await deploy(hosted, await strategy(h.appconfig, 0, 0), await hostVersion(h.appconfig, hosted, { limit: 1 }));
    await deploy(hosted, await strategy(h.appconfig, 600, 0), await hostVersion(h.appconfig, hosted, { limit: 2 }));
    const stopped = await h.appconfig.send(new StopDeploymentCommand({ ...key, DeploymentNumber: 2 }));
    expect(stopped.State).to.equal("ROLLED_BACK");
    expect(await environmentState(hosted)).to.equal("ROLLED_BACK");
    const refused = await rejection(h.appconfig.send(new StopDeploymentCommand({ ...key, DeploymentNumber: 1 })));
    expect(refused.name).to.equal("BadRequestException");
    const reverted = await h.appconfig.send(new StopDeploymentCommand({ ...key, DeploymentNumber: 1, AllowRevert: true }));
    expect(reverted.State).to.equal("REVERTED");
    expect(await served(hosted)).to.equal(undefined);
  });

  it("stops a deployment in its final bake only with AllowRevert, rolling it back", async () => {
    const hosted = await hostedProfile(h.appconfig);
    const key = { ApplicationId: hosted.applicationId, EnvironmentId: hosted.environmentId };
    await deploy(hosted, await strategy(h.appconfig, 0, 0), await hostVersion(h.appconfig, hosted, { limit: 1 }));
    await deploy(hosted, await strategy(h.appconfig, 0, 600), await hostVersion(h.appconfig, hosted, { limit: 2 }));
    const refused = await rejection(h.appconfig.send(new StopDeploymentCommand({ ...key, DeploymentNumber: 2 })));
    expect(refused.name).to.equal("BadRequestException");
    const stopped = await h.appconfig.send(new StopDeploymentCommand({ ...key, DeploymentNumber: 2, AllowRevert: true }));
    expect(stopped.State).to.equal("ROLLED_BACK");
    expect(await served(hosted)).to.deep.equal({ limit: 1 });
  });

  it("lists deployments newest first", async () => {
    const hosted = await hostedProfile(h.appconfig);
    const now = await strategy(h.appconfig, 0, 0);
    for (const limit of [1, 2]) await deploy(hosted, now, await hostVersion(h.appconfig, hosted, { limit }));
    const listed = await h.appconfig.send(new ListDeploymentsCommand({ ApplicationId: hosted.applicationId, EnvironmentId: hosted.environmentId }));
    expect(listed.Items?.map((d) => d.DeploymentNumber)).to.deep.equal([2, 1]);
  });

  it("serves feature flags in their retrieval shape: enabled flags with attributes, disabled ones as {enabled: false}", async () => {
    const hosted = await hostedProfile(h.appconfig, { type: "AWS.AppConfig.FeatureFlags" });
    const document = {
      version: "1",
      flags: { dark: { name: "dark", attributes: { level: { constraints: { type: "number" } } } }, beta: { name: "beta" } },
      values: { dark: { enabled: true, level: 3 }, beta: { enabled: false } },
    };
    await deploy(hosted, "AppConfig.AllAtOnce", await hostVersion(h.appconfig, hosted, document));
    await waitForDeployment(h.appconfig, hosted, 1, (d) => d.State === "BAKING");
    expect(await served(hosted)).to.deep.equal({ dark: { enabled: true, level: 3 }, beta: { enabled: false } });
  });
});
