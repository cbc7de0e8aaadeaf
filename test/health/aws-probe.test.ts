import { expect } from "chai";
import { mockClient, type AwsStub } from "aws-sdk-client-mock";
import { CloudWatchClient, DescribeAlarmsCommand, type DescribeAlarmsCommandInput } from "@aws-sdk/client-cloudwatch";
import { AppConfigClient, GetDeploymentCommand } from "@aws-sdk/client-appconfig";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { AwsProbes, type StackProbe } from "../../cli/health/aws-probe";
import { SetupError } from "../../cli/errors";
import { FakeClock } from "../pipeline/fakes/clock";

const GAMMA = { region: "us-east-1", role: "arn:aws:iam::222222222222:role/dcp-deploy" };
const DEPLOYMENT = { applicationId: "app-1", environmentId: "env-1", deploymentNumber: 8 };

/** What the first request was sent with beside its command (the SDK's typings of the stub know only the command). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any client's stub
function optionsOf(stub: AwsStub<any, any, any>): unknown {
  return (stub.send.firstCall.args as unknown[])[1];
}

function named(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 403 } });
}

describe("the AWS probe of one stack", () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the stubs' input and output types differ per client
  let cloudwatch: AwsStub<any, any, any>, appconfig: AwsStub<any, any, any>, sts: AwsStub<any, any, any>;
  let probe: StackProbe;
  before(() => {
    cloudwatch = mockClient(CloudWatchClient);
    appconfig = mockClient(AppConfigClient);
    sts = mockClient(STSClient);
  });
  after(() => [cloudwatch, appconfig, sts].forEach((stub) => stub.restore()));
  beforeEach(async () => {
    [cloudwatch, appconfig, sts].forEach((stub) => stub.reset());
    sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: "ASIAGAMMA", SecretAccessKey: "secret", SessionToken: "token", Expiration: new Date(Date.now() + 3_600_000) } });
    probe = await new AwsProbes("dcp-storefront-bake-gh42.1", new FakeClock()).probeFor(GAMMA);
  });

  const askedNames = () => cloudwatch.commandCalls(DescribeAlarmsCommand).map((call) => (call.args[0].input as DescribeAlarmsCommandInput).AlarmNames);

  describe("alarms", () => {
    it("reports metric and composite alarms in ALARM with CloudWatch's reason, asking for both kinds", async () => {
      cloudwatch.on(DescribeAlarmsCommand).resolves({
        MetricAlarms: [
          { AlarmName: "checkout-5xx", StateValue: "ALARM", StateReason: "Threshold Crossed: 3 datapoints were greater than the threshold (5.0)" },
          { AlarmName: "payments-errors", StateValue: "OK" },
        ],
        CompositeAlarms: [{ AlarmName: "storefront-degraded", StateValue: "ALARM" }],
      });

      expect(await probe.alarms(["checkout-5xx", "payments-errors", "storefront-degraded"])).to.deep.equal({
        firing: [
          { name: "checkout-5xx", reason: "Threshold Crossed: 3 datapoints were greater than the threshold (5.0)" },
          { name: "storefront-degraded", reason: "in ALARM" },
        ],
        missing: [],
      });
      // Without AlarmTypes, DescribeAlarms answers metric alarms only: a composite alarm would read as missing.
      expect(cloudwatch.commandCalls(DescribeAlarmsCommand)[0]?.args[0].input).to.deep.include({ AlarmTypes: ["MetricAlarm", "CompositeAlarm"] });
    });

    it("names the alarms CloudWatch does not know, which the bake cannot watch", async () => {
      cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: "checkout-5xx", StateValue: "OK" }, { StateValue: "ALARM" }] });

      expect(await probe.alarms(["checkout-5xx", "payments-errors", "inventory-latency"])).to.deep.equal({ firing: [], missing: ["payments-errors", "inventory-latency"] });
    });

    it("reads every page CloudWatch has", async () => {
      cloudwatch
        .on(DescribeAlarmsCommand)
        .resolvesOnce({ MetricAlarms: [{ AlarmName: "checkout-5xx", StateValue: "OK" }], NextToken: "page-2" })
        .resolves({ MetricAlarms: [{ AlarmName: "payments-errors", StateValue: "ALARM", StateReason: "Threshold Crossed" }] });

      expect(await probe.alarms(["checkout-5xx", "payments-errors"])).to.deep.equal({ firing: [{ name: "payments-errors", reason: "Threshold Crossed" }], missing: [] });
      expect(cloudwatch.commandCalls(DescribeAlarmsCommand).map((call) => (call.args[0].input as DescribeAlarmsCommandInput).NextToken)).to.deep.equal([undefined, "page-2"]);
    });

    it("asks for at most 100 names per request, never for none (which CloudWatch reads as every alarm of the account)", async () => {
      cloudwatch.on(DescribeAlarmsCommand).callsFake((input: DescribeAlarmsCommandInput) => ({
        MetricAlarms: (input.AlarmNames ?? []).map((AlarmName) => ({ AlarmName, StateValue: "OK" })),
      }));
      const names = (count: number) => Array.from({ length: count }, (_, i) => `alarm-${i}`);

      expect(await probe.alarms(names(200))).to.deep.equal({ firing: [], missing: [] });
      expect(askedNames().map((batch) => batch?.length)).to.deep.equal([100, 100]);
      expect(askedNames().flat()).to.deep.equal(names(200));

      cloudwatch.resetHistory();
      await probe.alarms(names(130));
      expect(askedNames().map((batch) => batch?.length)).to.deep.equal([100, 30]);
    });

    it("sends the bake's signal with the request, so an interrupt does not wait for AWS", async () => {
      cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: "checkout-5xx", StateValue: "OK" }] });
      const stopping = new AbortController();

      await probe.alarms(["checkout-5xx"], stopping.signal);

      expect(optionsOf(cloudwatch)).to.deep.equal({ abortSignal: stopping.signal });
    });
  });

  describe("deployments", () => {
    it("reads a deployment's state and the newest event that says why, with the bake's signal", async () => {
      appconfig.on(GetDeploymentCommand).resolves({ State: "ROLLED_BACK", EventLog: [{}, { Description: "Rollback initiated by CloudWatch alarm checkout-5xx" }, { Description: "Deployment started" }] });
      const stopping = new AbortController();

      expect(await probe.deployment(DEPLOYMENT, stopping.signal)).to.deep.equal({ state: "ROLLED_BACK", detail: "Rollback initiated by CloudWatch alarm checkout-5xx" });
      expect(appconfig.send.firstCall.args[0].input).to.deep.equal({ ApplicationId: "app-1", EnvironmentId: "env-1", DeploymentNumber: 8 });
      expect(optionsOf(appconfig)).to.deep.equal({ abortSignal: stopping.signal });
    });

    it("reads a deployment AppConfig gives no state for as UNKNOWN, and one whose events say nothing without a detail", async () => {
      appconfig.on(GetDeploymentCommand).resolvesOnce({}).resolves({ State: "DEPLOYING", EventLog: [{ EventType: "DEPLOYMENT_STARTED" }] });

      expect(await probe.deployment(DEPLOYMENT)).to.deep.equal({ state: "UNKNOWN" });
      expect(await probe.deployment(DEPLOYMENT)).to.deep.equal({ state: "DEPLOYING" });
    });
  });

  describe("failed reads", () => {
    it("hands back a refusal that is not about credentials as AWS said it, without a second try", async () => {
      const denied = named("AccessDenied", "User is not authorized to perform: cloudwatch:DescribeAlarms");
      cloudwatch.on(DescribeAlarmsCommand).rejects(denied);

      expect(await probe.alarms(["checkout-5xx"]).catch((error: unknown) => error)).to.equal(denied);
      expect(cloudwatch.commandCalls(DescribeAlarmsCommand)).to.have.length(1);
    });

    it("reads once more with a renewed session when AWS calls the session expired", async () => {
      appconfig.on(GetDeploymentCommand).rejectsOnce(named("ExpiredTokenException", "The security token included in the request is expired")).resolves({ State: "COMPLETE" });

      expect(await probe.deployment(DEPLOYMENT)).to.deep.equal({ state: "COMPLETE" });
      const [first, second] = appconfig.send.getCalls().map((call) => call.thisValue as unknown);
      expect(second).to.not.equal(first);
    });

    it("is a setup problem when credentials are missing, or still expired after the renewal", async () => {
      cloudwatch.on(DescribeAlarmsCommand).rejects(named("CredentialsProviderError", "Could not load credentials from any providers"));
      expect(await probe.alarms(["checkout-5xx"]).catch((error: unknown) => error)).to.be.instanceOf(SetupError);
      expect(cloudwatch.commandCalls(DescribeAlarmsCommand)).to.have.length(1);

      appconfig.on(GetDeploymentCommand).rejects(named("ExpiredTokenException", "The security token included in the request is expired"));
      expect(await probe.deployment(DEPLOYMENT).catch((error: unknown) => error)).to.be.instanceOf(SetupError);
      expect(appconfig.commandCalls(GetDeploymentCommand)).to.have.length(2);
    });
  });
});
