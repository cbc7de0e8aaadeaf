import { expect } from "chai";
import { metricAlarmArgs } from "../../infra/alarms";
import type { Alarm } from "../../infra/stack-config";
import { stageFile } from "./sample-files";
import { CHECKED_STACKS, TYPES, onlyResourceOfType, recordedSample, resourcesOfType, sampleStack } from "./sample-stacks";

for (const name of CHECKED_STACKS) {
  describe(`the CloudWatch alarms of ${name}`, () => {
    it("are the stage's alarms as written, percentiles as extended statistics", async () => {
      const { config } = await sampleStack(name);
      const written = stageFile(config.stage).alarms as unknown as Alarm[];
      const alarms = resourcesOfType(await recordedSample(name), TYPES.alarm);
      expect(alarms.map((alarm) => alarm.name)).to.deep.equal(written.map((alarm) => alarm.name));
      for (const [i, alarm] of written.entries()) {
        const inputs = alarms[i]?.inputs ?? {};
        expect(inputs, alarm.name).to.deep.include({
          name: `${config.workload}-${config.stage}-${alarm.name}`,
          namespace: alarm.namespace,
          metricName: alarm.metric,
          dimensions: alarm.dimensions,
          period: alarm.period,
          evaluationPeriods: alarm.evaluationPeriods,
          threshold: alarm.threshold,
          comparisonOperator: alarm.comparison,
          treatMissingData: alarm.treatMissingData,
          actionsEnabled: true,
          tags: { alarm: alarm.name },
        });
        const percentile = /^p\d/.test(alarm.statistic);
        expect(inputs[percentile ? "extendedStatistic" : "statistic"], alarm.name).to.equal(alarm.statistic);
        expect(inputs, alarm.name).not.to.have.property(percentile ? "statistic" : "extendedStatistic");
      }
    });

    it("notify the stage's SNS topic when they fire and when they recover", async () => {
      const { config } = await sampleStack(name);
      const stack = await recordedSample(name);
      const topic = onlyResourceOfType(stack, TYPES.topic);
      expect(topic.inputs.name).to.equal(`${config.workload}-${config.stage}-alarms`);
      const topicArn = `arn:aws:sns:${config.region}:${config.account}:${config.workload}-${config.stage}-alarms`;
      for (const alarm of resourcesOfType(stack, TYPES.alarm)) {
        expect(alarm.inputs.alarmActions, alarm.name).to.deep.equal([topicArn]);
        expect(alarm.inputs.okActions, alarm.name).to.deep.equal([topicArn]);
      }
    });
  });
}

describe("a metric alarm's arguments", () => {
  const alarm: Alarm = {
    name: "latency",
    namespace: "Storefront/Checkout",
    metric: "Latency",
    statistic: "p99.9",
    period: 60,
    evaluationPeriods: 3,
    threshold: 800,
    comparison: "GreaterThanThreshold",
  };

  it("pass a fractional percentile as an extended statistic", () => {
    const args = metricAlarmArgs(alarm, "storefront-prod-latency", "arn:topic");
    expect(args.extendedStatistic).to.equal("p99.9");
    expect(args.statistic).to.equal(undefined);
  });

  it("treat missing data as missing unless the stage says otherwise, as CloudWatch does", () => {
    expect(metricAlarmArgs(alarm, "n", "arn:topic").treatMissingData).to.equal("missing");
    expect(metricAlarmArgs({ ...alarm, treatMissingData: "breaching" }, "n", "arn:topic").treatMissingData).to.equal("breaching");
  });

  it("describe the alarm by its condition when the stage gives no description", () => {
    expect(metricAlarmArgs(alarm, "n", "arn:topic").alarmDescription).to.equal(
      "dcp: Storefront/Checkout Latency GreaterThanThreshold 800",
    );
    expect(metricAlarmArgs({ ...alarm, description: "p99.9 latency" }, "n", "arn:topic").alarmDescription).to.equal("p99.9 latency");
  });
});
