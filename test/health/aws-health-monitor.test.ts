import { expect } from "chai";
import { mockClient } from "aws-sdk-client-mock";
import { CloudWatchClient, DescribeAlarmsCommand, type DescribeAlarmsCommandOutput } from "@aws-sdk/client-cloudwatch";
import { AppConfigClient, GetDeploymentCommand, type GetDeploymentCommandInput } from "@aws-sdk/client-appconfig";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { createHealthMonitor } from "../../cli/health";
import { ExitCode, SetupError } from "../../cli/errors";
import type { Envs } from "../../cli/config/model";
import type { WatchTarget } from "../../cli/pipeline/ports";
import type { StackOutputs } from "../../infra/outputs";
import { sampleConfig } from "../engine/sample-config";
import { FakeClock } from "../pipeline/fakes/clock";

const MINUTE = 60_000;
/** Not the default 10 s, so that a monitor ignoring the option shows. */
const POLL = 15_000;
const cloudwatch = mockClient(CloudWatchClient);
const appconfig = mockClient(AppConfigClient);
const sts = mockClient(STSClient);

const envs = {
  dir: "/repo/envs",
  pipeline: { workload: "storefront", stages: ["gamma"], components: {} },
  stages: [{ name: "gamma", file: "envs/gamma.yaml", definition: { endpoint: "http://localhost:4566" } }],
  schemas: {},
} as unknown as Envs;

const outputs: StackOutputs = {
  releaseId: "0123456789ab",
  applicationId: "app-1",
  environmentId: "env-1",
  profileIds: { "feature-flags": "ff", checkout: "co" },
  contentHashes: {},
  deploymentNumbers: { "feature-flags": 7, checkout: 8 },
  deploymentStrategyId: "strategy-1",
  alarmNames: ["checkout-5xx", "payments-errors"],
  alarmArns: [],
};

/** gamma's rollout: 10 min + 10 min final bake. */
const target: WatchTarget = { stack: { stage: "gamma", region: "us-east-1", name: "gamma-us-east-1" }, config: sampleConfig(), outputs };

function alarms(states: Record<string, "OK" | "ALARM" | "INSUFFICIENT_DATA">): DescribeAlarmsCommandOutput {
  return {
    $metadata: {},
    MetricAlarms: Object.entries(states).map(([AlarmName, StateValue]) => ({
      AlarmName,
      StateValue,
      StateReason: `Threshold Crossed: 3 datapoints were ${StateValue === "ALARM" ? "greater" : "less"} than the threshold (5.0)`,
    })),
  };
}

const allOk = alarms({ "checkout-5xx": "OK", "payments-errors": "INSUFFICIENT_DATA" });

/** What AWS answers a request signed with an expired session: CloudWatch (query protocol) and AppConfig (JSON) name it differently. */
function expired(name: "ExpiredToken" | "ExpiredTokenException"): Error {
  return Object.assign(new Error("The security token included in the request is expired"), { name, $metadata: { httpStatusCode: 403 } });
}

function session(accessKeyId: string) {
  return { Credentials: { AccessKeyId: accessKeyId, SecretAccessKey: "secret", SessionToken: "token", Expiration: new Date(Date.now() + 3_600_000) } };
}

async function credentialsOf(client: unknown): Promise<unknown> {
  return (client as CloudWatchClient).config.credentials();
}

function throttled(): Error {
  return Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException", $metadata: { httpStatusCode: 400 } });
}

describe("the AWS health monitor", () => {
  let clock: FakeClock;
  beforeEach(() => {
    clock = new FakeClock();
    cloudwatch.reset();
    appconfig.reset();
    sts.reset();
    sts.on(AssumeRoleCommand).resolves({
      Credentials: { AccessKeyId: "ASIAGAMMA", SecretAccessKey: "secret", SessionToken: "token", Expiration: new Date(Date.now() + 3_600_000) },
    });
    cloudwatch.on(DescribeAlarmsCommand).resolves(allOk);
    appconfig.on(GetDeploymentCommand).resolves({ State: "COMPLETE" });
  });

  const monitor = (graceMs = 2 * MINUTE) => createHealthMonitor(envs, { pollIntervalMs: POLL, graceMs, clock, runId: "gh42.1" });

  it("is healthy after a bake in which nothing fired, having watched for the whole bake", async () => {
    const start = clock.now();
    const progress: number[] = [];
    const verdict = await monitor().watch([target], { durationMs: 30 * MINUTE, onProgress: (elapsed) => progress.push(elapsed) });
    expect(verdict).to.deep.equal({ healthy: true });
    expect(clock.now() - start).to.equal(30 * MINUTE);
    expect(progress.at(-1)).to.equal(30 * MINUTE);
    expect(cloudwatch.commandCalls(DescribeAlarmsCommand)).to.have.length(30 * MINUTE / POLL + 1);
    expect(cloudwatch.commandCalls(DescribeAlarmsCommand)[0]?.args[0].input.AlarmNames).to.deep.equal(outputs.alarmNames);
    const asked = appconfig.commandCalls(GetDeploymentCommand).map((call) => call.args[0].input);
    expect(asked).to.deep.include.members([
      { ApplicationId: "app-1", EnvironmentId: "env-1", DeploymentNumber: 7 },
      { ApplicationId: "app-1", EnvironmentId: "env-1", DeploymentNumber: 8 },
    ]);
  });

  it("is unhealthy within one poll interval of an alarm firing mid-bake, naming the alarm and why", async () => {
    const firesAt = clock.now() + 12 * MINUTE + 3_000;
    cloudwatch
      .on(DescribeAlarmsCommand)
      .callsFake(() => (clock.now() >= firesAt ? alarms({ "checkout-5xx": "ALARM", "payments-errors": "OK" }) : allOk));
    const verdict = await monitor().watch([target], { durationMs: 60 * MINUTE });
    expect(verdict).to.deep.equal({
      healthy: false,
      reasons: [
        {
          stack: "gamma-us-east-1",
          kind: "alarm",
          subject: "checkout-5xx",
          detail: "Threshold Crossed: 3 datapoints were greater than the threshold (5.0)",
        },
      ],
    });
    expect(clock.now() - firesAt).to.be.at.most(POLL);
  });

  it("is unhealthy when AppConfig rolled a deployment back, saying why", async () => {
    appconfig.on(GetDeploymentCommand, { DeploymentNumber: 8 }).resolves({
      State: "ROLLED_BACK",
      EventLog: [{ Description: "Rollback initiated by CloudWatch alarm checkout-5xx" }, { Description: "Deployment started" }],
    });
    const verdict = await monitor().watch([target], { durationMs: 30 * MINUTE });
    expect(verdict).to.deep.equal({
      healthy: false,
      reasons: [
        {
          stack: "gamma-us-east-1",
          kind: "deployment",
          subject: "checkout deployment #8",
          detail: "AppConfig deployment is ROLLED_BACK: Rollback initiated by CloudWatch alarm checkout-5xx",
        },
      ],
    });
  });

  it("treats a deployment ROLLING_BACK as unhealthy at once", async () => {
    appconfig.on(GetDeploymentCommand, { DeploymentNumber: 7 }).resolves({ State: "ROLLING_BACK" });
    const start = clock.now();
    const verdict = await monitor().watch([target], { durationMs: 30 * MINUTE });
    expect(verdict.healthy).to.equal(false);
    expect(clock.now()).to.equal(start);
  });

  it("keeps watching after the bake time until a deployment still DEPLOYING is COMPLETE", async () => {
    const start = clock.now();
    const completesAt = start + 14 * MINUTE;
    appconfig
      .on(GetDeploymentCommand, { DeploymentNumber: 8 })
      .callsFake(() => ({ State: clock.now() >= completesAt ? "COMPLETE" : clock.now() > start + 11 * MINUTE ? "BAKING" : "DEPLOYING" }));
    const verdict = await monitor().watch([target], { durationMs: 5 * MINUTE });
    expect(verdict).to.deep.equal({ healthy: true });
    expect(clock.now()).to.be.within(completesAt, completesAt + POLL);
    const numbers = appconfig.commandCalls(GetDeploymentCommand).map((call) => (call.args[0].input as GetDeploymentCommandInput).DeploymentNumber);
    expect(numbers.filter((number) => number === 7)).to.have.length(1);
  });

  it("fails a deployment that is not COMPLETE by the strategy's duration plus final bake plus a margin, 5 minutes unless told", async () => {
    const start = clock.now();
    appconfig.on(GetDeploymentCommand, { DeploymentNumber: 8 }).resolves({ State: "DEPLOYING" });
    const verdict = await createHealthMonitor(envs, { pollIntervalMs: POLL, clock }).watch([target], { durationMs: 5 * MINUTE });
    expect(verdict.healthy).to.equal(false);
    expect(verdict.healthy === false && verdict.reasons[0]).to.deep.include({ kind: "deployment", subject: "checkout deployment #8" });
    expect(clock.now() - start).to.be.within(25 * MINUTE, 25 * MINUTE + POLL);

    const restart = clock.now();
    await createHealthMonitor(envs, { pollIntervalMs: POLL, clock, deploymentMarginMs: MINUTE }).watch([target], { durationMs: 5 * MINUTE });
    expect(clock.now() - restart).to.be.within(21 * MINUTE, 21 * MINUTE + POLL);
  });

  it("retries a throttled read with backoff instead of counting it as a failure", async () => {
    cloudwatch.on(DescribeAlarmsCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves(allOk);
    const verdict = await createHealthMonitor(envs, { pollIntervalMs: POLL, graceMs: 0, clock }).watch([target], { durationMs: 0 });
    expect(verdict).to.deep.equal({ healthy: true });
    expect(cloudwatch.commandCalls(DescribeAlarmsCommand)).to.have.length(3);
  });

  it("fails the bake as 'monitoring' when alarms cannot be read for longer than the grace period", async () => {
    const start = clock.now();
    cloudwatch.on(DescribeAlarmsCommand).rejects(Object.assign(new Error("User is not authorized to perform: cloudwatch:DescribeAlarms"), { name: "AccessDenied" }));
    const verdict = await monitor(3 * MINUTE).watch([target], { durationMs: 60 * MINUTE });
    expect(verdict.healthy).to.equal(false);
    const [reason] = verdict.healthy ? [] : verdict.reasons;
    expect(reason).to.deep.include({ stack: "gamma-us-east-1", kind: "monitoring" });
    expect(reason?.detail).to.contain("AccessDenied: User is not authorized");
    expect(clock.now() - start).to.be.within(3 * MINUTE, 3 * MINUTE + POLL);
  });

  it("stays healthy when alarms cannot be read briefly, within the grace period", async () => {
    const start = clock.now();
    cloudwatch
      .on(DescribeAlarmsCommand)
      .callsFake(() => {
        if (clock.now() >= start + 5 * MINUTE && clock.now() < start + 6 * MINUTE) throw new Error("socket hang up");
        return allOk;
      });
    const verdict = await monitor(2 * MINUTE).watch([target], { durationMs: 30 * MINUTE });
    expect(verdict).to.deep.equal({ healthy: true });
  });

  it("does not call a bake healthy while its last read failed", async () => {
    const start = clock.now();
    cloudwatch.on(DescribeAlarmsCommand).callsFake(() => {
      if (clock.now() >= start + 10 * MINUTE) throw new Error("socket hang up");
      return allOk;
    });
    const verdict = await monitor(2 * MINUTE).watch([target], { durationMs: 10 * MINUTE });
    expect(verdict.healthy === false && verdict.reasons[0]?.kind).to.equal("monitoring");
  });

  it("reads with the stage role's assumed credentials, in the stack's region, at the stage's endpoint", async () => {
    await monitor().watch([target], { durationMs: 0 });
    // The mocks stand in for the request pipeline, so credentials are resolved the way signing would resolve them.
    for (const mock of [cloudwatch, appconfig]) {
      const client = mock.send.firstCall.thisValue as CloudWatchClient;
      expect(await client.config.credentials()).to.deep.include({ accessKeyId: "ASIAGAMMA", secretAccessKey: "secret", sessionToken: "token" });
    }
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input)).to.deep.equal([
      { RoleArn: "arn:aws:iam::222222222222:role/dcp-deploy", RoleSessionName: "dcp-storefront-bake-gh42.1" },
    ]);
    for (const mock of [cloudwatch, appconfig, sts]) {
      const client = mock.send.firstCall.thisValue as CloudWatchClient;
      expect(await client.config.region()).to.equal("us-east-1");
      expect(await client.config.endpoint?.()).to.deep.include({ hostname: "localhost", port: 4566, protocol: "http:" });
    }
  });

  it("answers a one-off check without waiting, failing on what cannot be read", async () => {
    const start = clock.now();
    expect(await monitor().check?.([target])).to.deep.equal({ healthy: true });
    cloudwatch.on(DescribeAlarmsCommand).rejects(new Error("socket hang up"));
    const verdict = await monitor().check?.([target]);
    expect(verdict?.healthy === false && verdict.reasons[0]?.kind).to.equal("monitoring");
    expect(clock.now()).to.equal(start);
  });

  describe("credentials that expire during a long bake", () => {
    it("renews the role's session when CloudWatch says it expired mid-bake, and stays healthy", async () => {
      sts.on(AssumeRoleCommand).resolvesOnce(session("ASIAFIRST")).resolves(session("ASIARENEWED"));
      cloudwatch.on(DescribeAlarmsCommand).resolvesOnce(allOk).rejectsOnce(expired("ExpiredToken")).resolves(allOk);
      // No grace: a poll that could not read would fail the bake at once.
      const verdict = await monitor(0).watch([target], { durationMs: 30 * MINUTE });
      expect(verdict).to.deep.equal({ healthy: true });
      // The mocks stand in for the request pipeline, so credentials are resolved the way signing would resolve them.
      const clients = cloudwatch.send.getCalls().map((call) => call.thisValue as unknown);
      expect(await credentialsOf(clients[0])).to.deep.include({ accessKeyId: "ASIAFIRST" });
      expect(await credentialsOf(clients.at(-1))).to.deep.include({ accessKeyId: "ASIARENEWED" });
    });

    it("assumes the role again before its session ends, rather than waiting for AWS to refuse it", async () => {
      const ending = session("ASIAENDING");
      ending.Credentials.Expiration = new Date(Date.now() + 2 * 60_000);
      sts.on(AssumeRoleCommand).resolvesOnce(ending).resolves(session("ASIANEXT"));
      await monitor().watch([target], { durationMs: 0 });
      // A session within five minutes of its end is renewed before a request is signed with it.
      expect(await credentialsOf(cloudwatch.send.firstCall.thisValue)).to.deep.include({ accessKeyId: "ASIANEXT" });
      expect(sts.commandCalls(AssumeRoleCommand)).to.have.length(2);
    });

    it("renews it when AppConfig says so too, and reads the deployment again", async () => {
      appconfig.on(GetDeploymentCommand).rejectsOnce(expired("ExpiredTokenException")).resolves({ State: "COMPLETE" });
      const verdict = await monitor(0).watch([target], { durationMs: 10 * MINUTE });
      expect(verdict).to.deep.equal({ healthy: true });
    });

    it("calls monitoring unreadable, after the grace period, when the renewed session is refused too, and says it is the credentials", async () => {
      cloudwatch.on(DescribeAlarmsCommand).rejects(expired("ExpiredToken"));
      const verdict = await monitor(2 * MINUTE).watch([target], { durationMs: 10 * MINUTE });
      expect(verdict.healthy).to.equal(false);
      const [reason] = verdict.healthy ? [] : verdict.reasons;
      expect(reason?.kind).to.equal("monitoring");
      expect(reason?.detail).to.contain("AWS credentials are missing, invalid or expired");
    });
  });

  it("tells `dcp status` that AWS credentials are missing (exit 1, naming what to set) rather than calling a stack unhealthy", async () => {
    cloudwatch.on(DescribeAlarmsCommand).rejects(Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" }));
    const failure = await monitor().check?.([target]).catch((error: unknown) => error);
    expect(failure).to.be.instanceOf(SetupError);
    expect((failure as SetupError).exitCode).to.equal(ExitCode.usage);
    expect((failure as Error).message).to.contain("AWS_ACCESS_KEY_ID").and.contain("Could not load credentials");
  });
});
