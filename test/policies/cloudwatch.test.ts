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
      expect(await violationsOf(environmentHasAlarmMonitors, environment)).to.deep.equal([
        "environment has 0 alarm monitors, needs at least 1: nothing would roll a bad deployment back.",
      ]);
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

    it("numbers each monitor it rejects, and rejects a missing or null ARN", async () => {
      const environment = happyEnvironment();
      environment.props.monitors = [{ alarmArn: ALARM_ARN, alarmRoleArn: ROLE_ARN }, { alarmArn: null, alarmRoleArn: "" }];
      expect(await violationsOf(environmentHasAlarmMonitors, environment)).to.deep.equal([
        "monitor 2 has no alarm ARN.",
        "monitor 2 has no alarm role: AppConfig cannot read the alarm and ignores it.",
      ]);
    });

    it("passes as many monitors as configured, and no monitors when config needs none", async () => {
      const environment = happyEnvironment();
      environment.props.monitors = [{ alarmArn: ALARM_ARN, alarmRoleArn: ROLE_ARN }, { alarmArn: `${ALARM_ARN}-p99`, alarmRoleArn: ROLE_ARN }];
      expect(await violationsOf(environmentHasAlarmMonitors, environment, { minMonitors: 2 })).to.deep.equal([]);
      delete environment.props.monitors;
      expect(await violationsOf(environmentHasAlarmMonitors, environment, { minMonitors: 0 })).to.deep.equal([]);
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
      expect(await violationsOf(alarmHasActions, alarm)).to.deep.equal(["alarm has 0 alarm actions, needs at least 1 (e.g. the stage's SNS topic)."]);
      delete alarm.props.alarmActions;
      expect(await violationsOf(alarmHasActions, alarm)).to.deep.equal(["alarm has 0 alarm actions, needs at least 1 (e.g. the stage's SNS topic)."]);
    });

    it("passes at preview an alarm whose action list is built from topics not created yet", async () => {
      const alarm = happyAlarm();
      alarm.props.alarmActions = UNKNOWN_AT_PREVIEW;
      expect(await violationsOf(alarmHasActions, alarm)).to.deep.equal([]);
    });

    it("wants as many actions as configured", async () => {
      expect(await violationsOf(alarmHasActions, happyAlarm(), { minActions: 2 })).to.deep.equal([
        "alarm has 1 alarm actions, needs at least 2 (e.g. the stage's SNS topic).",
      ]);
      const alarm = happyAlarm();
      alarm.props.alarmActions = [];
      expect(await violationsOf(alarmHasActions, alarm, { minActions: 0 })).to.deep.equal([]);
    });

    it("passes an alarm whose actions are enabled explicitly", async () => {
      const alarm = happyAlarm();
      alarm.props.actionsEnabled = true;
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
      expect(await violationsOf(alarmEvaluationSane, happyAlarm(), { maxEvaluationMinutes: 2 })).to.deep.equal([
        "the alarm needs 3 minutes of data to fire, longer than 2: it cannot stop a bad wave during the bake.",
      ]);
      expect(await violationsOf(alarmEvaluationSane, happyAlarm(), { maxEvaluationMinutes: 3 })).to.deep.equal([]);
    });

    it("rejects too many evaluation periods", async () => {
      const alarm = happyAlarm();
      alarm.props.evaluationPeriods = 11;
      expect(await violationsOf(alarmEvaluationSane, alarm)).to.deep.equal(["evaluation periods is 11; use 1 to 10."]);
      alarm.props.evaluationPeriods = 10;
      expect(await violationsOf(alarmEvaluationSane, alarm)).to.deep.equal([]);
      expect(await violationsOf(alarmEvaluationSane, alarm, { maxEvaluationPeriods: 5 })).to.deep.equal(["evaluation periods is 10; use 1 to 5."]);
    });

    it("rejects a period CloudWatch does not accept", async () => {
      const alarm = happyAlarm();
      alarm.props.period = 90;
      expect(await violationsOf(alarmEvaluationSane, alarm)).to.deep.equal(["period is 90 s; use a multiple of 60 s (or 10, 20, 30) of at least 60 s."]);
    });

    it("rejects a high-resolution period below the configured minimum", async () => {
      const alarm = happyAlarm();
      alarm.props.period = 10;
      expect((await violationsOf(alarmEvaluationSane, alarm))[0]).to.match(/^period is 10 s; .* at least 60 s/);
    });

    it("accepts high-resolution periods of 10, 20 and 30 s where config allows them, and no other under a minute", async () => {
      for (const [period, messages] of [
        [10, 0],
        [20, 0],
        [30, 0],
        [15, 1],
        [45, 1],
        [120, 0],
      ] as const) {
        const alarm = happyAlarm();
        alarm.props.period = period;
        expect(await violationsOf(alarmEvaluationSane, alarm, { minPeriodSeconds: 10 }), String(period)).to.have.length(messages);
      }
    });

    it("rejects a period below the configured minimum, though CloudWatch accepts it", async () => {
      expect(await violationsOf(alarmEvaluationSane, happyAlarm(), { minPeriodSeconds: 120 })).to.deep.equal([
        "period is 60 s; use a multiple of 60 s (or 10, 20, 30) of at least 120 s.",
      ]);
    });

    it("rejects an alarm on a metric without a period or evaluation periods, and stops at the period", async () => {
      const alarm = happyAlarm();
      delete alarm.props.period;
      delete alarm.props.evaluationPeriods;
      expect(await violationsOf(alarmEvaluationSane, alarm, { maxEvaluationMinutes: 1 })).to.deep.equal([
        "evaluation periods is unset; use 1 to 10.",
        "period is unset s; use a multiple of 60 s (or 10, 20, 30) of at least 60 s.",
      ]);
    });

    it("accepts a single evaluation period", async () => {
      const alarm = happyAlarm();
      alarm.props.evaluationPeriods = 1;
      expect(await violationsOf(alarmEvaluationSane, alarm)).to.deep.equal([]);
    });

    it("rejects zero evaluation periods", async () => {
      const alarm = happyAlarm();
      alarm.props.evaluationPeriods = 0;
      expect(await violationsOf(alarmEvaluationSane, alarm)).to.deep.equal(["evaluation periods is 0; use 1 to 10."]);
    });

    it("counts one period of data when evaluation periods are unset", async () => {
      const alarm = happyAlarm();
      alarm.props.period = 7200;
      delete alarm.props.evaluationPeriods;
      expect(await violationsOf(alarmEvaluationSane, alarm)).to.deep.equal([
        "evaluation periods is unset; use 1 to 10.",
        "the alarm needs 120 minutes of data to fire, longer than 60: it cannot stop a bad wave during the bake.",
      ]);
    });

    it("leaves the period of a metric-math alarm to its queries, but checks one the alarm sets", async () => {
      const alarm = happyAlarm();
      delete alarm.props.period;
      alarm.props.metricQueries = [{ id: "errors", expression: "m1/m2", returnData: true }];
      expect(await violationsOf(alarmEvaluationSane, alarm)).to.deep.equal([]);
      alarm.props.period = 90;
      expect(await violationsOf(alarmEvaluationSane, alarm)).to.have.length(1);
    });

    it("accepts as many datapoints to alarm as evaluation periods, and none when periods are unset", async () => {
      const alarm = happyAlarm();
      alarm.props.datapointsToAlarm = 3;
      expect(await violationsOf(alarmEvaluationSane, alarm)).to.deep.equal([]);
      delete alarm.props.evaluationPeriods;
      expect(await violationsOf(alarmEvaluationSane, alarm)).to.deep.equal(["evaluation periods is unset; use 1 to 10."]);
    });

    it("rejects more datapoints to alarm than evaluation periods", async () => {
      const alarm = happyAlarm();
      alarm.props.datapointsToAlarm = 5;
      expect(await violationsOf(alarmEvaluationSane, alarm)).to.deep.equal(["datapoints to alarm (5) exceeds evaluation periods (3): the alarm can never fire."]);
    });
  });
});
