// The single endpoint: routing by SigV4 credential scope, and moto behind it.
import { DescribeAlarmsCommand, PutMetricAlarmCommand } from "@aws-sdk/client-cloudwatch";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { expect } from "chai";
import { REGION, useLocalAws } from "./fixtures";

describe("local AWS endpoint", () => {
  const h = useLocalAws(100);

  it("reports the pinned moto version and an http://127.0.0.1 endpoint", () => {
    expect(h.aws.motoVersion).to.match(/^\d+\.\d+\.\d+$/);
    expect(h.aws.endpoint).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("proxies CloudWatch (JSON protocol of SDK v3) to moto, where setAlarmState lands", async () => {
    await h.cloudwatch.send(
      new PutMetricAlarmCommand({ AlarmName: "latency", MetricName: "p99", Namespace: "dcp", Statistic: "Maximum", Period: 60, EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: "GreaterThanThreshold" }),
    );
    await h.aws.setAlarmState(REGION, "latency", "ALARM");
    const answer = await h.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ["latency"] }));
    expect(answer.MetricAlarms?.map((a) => [a.AlarmName, a.StateValue])).to.deep.equal([["latency", "ALARM"]]);
  });

  it("proxies STS to moto with any credentials", async () => {
    const sts = new STSClient({ endpoint: h.aws.endpoint, region: REGION, credentials: { accessKeyId: "anything", secretAccessKey: "at-all" } });
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    sts.destroy();
    expect(identity.Account).to.match(/^\d{12}$/);
  });
});
