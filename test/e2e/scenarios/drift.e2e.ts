import { CloudWatchClient, DescribeAlarmsCommand, PutMetricAlarmCommand } from "@aws-sdk/client-cloudwatch";
import {
  AppConfigClient,
  DeleteHostedConfigurationVersionCommand,
  ListApplicationsCommand,
  ListConfigurationProfilesCommand,
  ListHostedConfigurationVersionsCommand,
} from "@aws-sdk/client-appconfig";
import { expect } from "chai";
import { Accounts } from "../aws/accounts";
import { ScratchRepo } from "../harness/scratch-repo";
import { world, type World } from "../harness/world";

describe("dcp drift on the real engine", () => {
  let w: World;
  let repo: ScratchRepo;

  before(async () => {
    w = await world();
    repo = ScratchRepo.create(w, "drift");
    const release = await repo.dcp(["release", "--to", "beta", "--json"]);
    expect(release.status, release.stderr + release.stdout).to.equal(0);
  });

  it("finds nothing right after a clean release (exit 0)", async () => {
    const run = await repo.dcp(["drift", "beta"]);
    expect(run.status, run.stderr + run.stdout).to.equal(0);
  });

  it("names an alarm whose threshold was changed by hand (exit 6)", async () => {
    // A person with access to beta's account, as the fixture's beta role has.
    const credentials = await new Accounts(w.aws.endpoint).credentials("arn:aws:iam::111111111111:role/dcp-deploy");
    const cloudwatch = new CloudWatchClient({ region: "us-west-2", endpoint: w.aws.endpoint, credentials });
    const name = `${repo.workload}-beta-checkout-5xx`;
    const { MetricAlarms } = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
    const alarm = MetricAlarms?.[0];
    expect(alarm, `alarm ${name}`).not.to.equal(undefined);
    // Someone raises the threshold in the console: PutMetricAlarm replaces the whole definition.
    await cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: name,
        Namespace: alarm!.Namespace,
        MetricName: alarm!.MetricName,
        Dimensions: alarm!.Dimensions,
        Statistic: alarm!.Statistic,
        Period: alarm!.Period,
        EvaluationPeriods: alarm!.EvaluationPeriods,
        ComparisonOperator: alarm!.ComparisonOperator,
        TreatMissingData: alarm!.TreatMissingData,
        AlarmActions: alarm!.AlarmActions,
        Threshold: 500,
      }),
    );
    const run = await repo.dcp(["drift", "beta"]);
    expect(run.status, run.stderr + run.stdout).to.equal(6);
    expect(run.stdout).to.include("checkout-5xx").and.include("threshold");
  });

  it("names a feature-flags version deleted by hand, though its content is a secret the engine never shows (exit 6)", async () => {
    // AppConfig never changes a hosted version's content in place: new content is a new
    // version, so the content a release left can only be changed by taking its version away.
    const credentials = await new Accounts(w.aws.endpoint).credentials("arn:aws:iam::111111111111:role/dcp-deploy");
    const appconfig = new AppConfigClient({ region: "us-west-2", endpoint: w.aws.endpoint, credentials });
    const { Items: applications } = await appconfig.send(new ListApplicationsCommand({}));
    const ApplicationId = applications?.find((app) => app.Name === repo.workload)?.Id;
    const { Items: profiles } = await appconfig.send(new ListConfigurationProfilesCommand({ ApplicationId }));
    const ConfigurationProfileId = profiles?.find((profile) => profile.Name === "feature-flags")?.Id;
    const { Items: versions } = await appconfig.send(new ListHostedConfigurationVersionsCommand({ ApplicationId, ConfigurationProfileId }));
    expect(versions, "feature-flags versions").to.have.length.greaterThan(0);
    for (const { VersionNumber } of versions ?? []) {
      await appconfig.send(new DeleteHostedConfigurationVersionCommand({ ApplicationId, ConfigurationProfileId, VersionNumber }));
    }
    const run = await repo.dcp(["drift", "beta"]);
    expect(run.status, run.stderr + run.stdout).to.equal(6);
    expect(run.stdout).to.match(/HostedConfigurationVersion feature-flags/);
  });
});
