import { expect } from "chai";
import { alarmEvaluationSane, alarmHasActions, environmentHasAlarmMonitors } from "../../policies/cloudwatch";
import { UNKNOWN_AT_PREVIEW, violationsOf, type ResourceUnderTest } from "./harness";

const ALARM_ARN = "arn:aws:cloudwatch:us-east-1:333333333333:alarm:checkout-5xx";
const ROLE_ARN = "arn:aws:iam::333333333333:role/storefront-prod-appconfig-monitor";

function happyEnvironment(): ResourceUnderTest {
  return {
    type: "aws:appconfig/environment:Environment",
    name: "prod",
    props: { applicationId: "app", name: "prod", monitors: [{ alarmArn: ALARM_ARN, alarmRoleArn: ROLE_ARN }] },
  };
}

function happyAlarm(): ResourceUnderTest {
  return {
    type: "aws:cloudwatch/metricAlarm:MetricAlarm",
    name: "checkout-5xx",
    props: {
      namespace: "Storefront/Checkout",
      metricName: "Http5xx",
      statistic: "Sum",
      period: 60,
      evaluationPeriods: 3,
      threshold: 5,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      alarmActions: ["arn:aws:sns:us-east-1:333333333333:storefront-prod-alarms"],
    },
  };
}

describe("monitoring policies", () => {
  describe("environment-has-alarm-monitors", () => {
    it("passes an environment monitored by an alarm with a role", async () => {
      expect(await violationsOf(environmentHasAlarmMonitors, happyEnvironment())).to.deep.equal([]);
    });

    it("rejects an environment without monitors", async () => {
      const environment = happyEnvironment();
      delete environment.props.monitors;
      const messages = await violationsOf(environmentHasAlarmMonitors, environment);
      expect(messages[0]).to.match(/^environment has 0 alarm monitors, needs at least 1/);
    });

    it("rejects a monitor without the role AppConfig reads the alarm with", async () => {
      const environment = happyEnvironment();
      environment.props.monitors = [{ alarmArn: ALARM_ARN }];
      expect(await violationsOf(environmentHasAlarmMonitors, environment)).to.deep.equal([
        "monitor 1 has no alarm role: AppConfig cannot read the alarm and ignores it.",
      ]);
    });

    it("passes at preview a monitor whose alarm and role the stack creates, their ARNs not known until the update", async () => {
      const environment = happyEnvironment();
      environment.props.monitors = [{ alarmArn: UNKNOWN_AT_PREVIEW, alarmRoleArn: UNKNOWN_AT_PREVIEW }];
      expect(await violationsOf(environmentHasAlarmMonitors, environment)).to.deep.equal([]);
    });

    it("rejects a monitor whose alarm ARN is empty", async () => {
      const environment = happyEnvironment();
      environment.props.monitors = [{ alarmArn: "", alarmRoleArn: ROLE_ARN }];
      expect(await violationsOf(environmentHasAlarmMonitors, environment)).to.deep.equal(["monitor 1 has no alarm ARN."]);
    });

    it("rejects fewer monitors than configured", async () => {
      const messages = await violationsOf(environmentHasAlarmMonitors, happyEnvironment(), { minMonitors: 2 });
      expect(messages[0]).to.match(/^environment has 1 alarm monitors, needs at least 2/);
    });
  });

  describe("alarm-has-actions", () => {
    it("passes an alarm that notifies a topic", async () => {
      expect(await violationsOf(alarmHasActions, happyAlarm())).to.deep.equal([]);
    });

    it("rejects an alarm without actions", async () => {
      const alarm = happyAlarm();
      alarm.props.alarmActions = [];
      expect((await violationsOf(alarmHasActions, alarm))[0]).to.match(/^alarm has 0 alarm actions, needs at least 1/);
    });

    it("passes at preview an alarm whose action list is built from topics not created yet", async () => {
      const alarm = happyAlarm();
      alarm.props.alarmActions = UNKNOWN_AT_PREVIEW;
      expect(await violationsOf(alarmHasActions, alarm)).to.deep.equal([]);
    });

    it("rejects an alarm whose actions are disabled", async () => {
      const alarm = happyAlarm();
      alarm.props.actionsEnabled = false;
      expect(await violationsOf(alarmHasActions, alarm)).to.deep.equal(["alarm actions are disabled (actionsEnabled: false)."]);
    });
  });

  describe("alarm-evaluation-sane", () => {
    it("passes a one-minute alarm over three periods", async () => {
      expect(await violationsOf(alarmEvaluationSane, happyAlarm())).to.deep.equal([]);
    });

    it("rejects an alarm that needs longer than the stage's shortest bake to fire", async () => {
      const messages = await violationsOf(alarmEvaluationSane, happyAlarm(), { maxEvaluationMinutes: 2 });
      expect(messages[0]).to.match(/^the alarm needs 3 minutes of data to fire, longer than 2/);
    });

    it("rejects too many evaluation periods", async () => {
      const alarm = happyAlarm();
      alarm.props.evaluationPeriods = 50;
      expect((await violationsOf(alarmEvaluationSane, alarm))[0]).to.match(/^evaluation periods is 50; use 1 to 10/);
    });

    it("rejects a period CloudWatch does not accept", async () => {
      const alarm = happyAlarm();
      alarm.props.period = 90;
      expect((await violationsOf(alarmEvaluationSane, alarm))[0]).to.match(/^period is 90 s/);
    });

    it("rejects a high-resolution period below the configured minimum", async () => {
      const alarm = happyAlarm();
      alarm.props.period = 10;
      expect((await violationsOf(alarmEvaluationSane, alarm))[0]).to.match(/^period is 10 s; .* at least 60 s/);
    });

    it("rejects more datapoints to alarm than evaluation periods", async () => {
      const alarm = happyAlarm();
      alarm.props.datapointsToAlarm = 5;
      expect((await violationsOf(alarmEvaluationSane, alarm))[0]).to.match(/^datapoints to alarm \(5\) exceeds evaluation periods \(3\)/);
    });
  });
});
