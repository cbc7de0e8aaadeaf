import { Environment } from "@pulumi/aws/appconfig";
import { MetricAlarm } from "@pulumi/aws/cloudwatch";
import { validateResourceOfType, type PolicyConfigSchema, type ResourceValidationPolicy } from "@pulumi/policy";
import { configOf } from "./config";
import { isSetOrUnknown, knownOrUndefined } from "./unknowns";

/** Monitoring: the alarms that let AppConfig and the bake stop a bad change. */

const monitorsSchema: PolicyConfigSchema = {
  properties: {
    minMonitors: { type: "integer", minimum: 0, default: 1, description: "Alarm monitors each AppConfig environment needs" },
  },
};

export const environmentHasAlarmMonitors: ResourceValidationPolicy = {
  name: "environment-has-alarm-monitors",
  description: "Every AppConfig environment has CloudWatch alarm monitors, each with a role AppConfig can read it with, so a deployment rolls back when an alarm fires.",
  enforcementLevel: "mandatory",
  configSchema: monitorsSchema,
  validateResource: validateResourceOfType(Environment, (environment, args, reportViolation) => {
    const { minMonitors } = configOf<{ minMonitors: number }>(monitorsSchema, args);
    const monitors = environment.monitors ?? [];
    if (monitors.length < minMonitors) {
      reportViolation(`environment has ${monitors.length} alarm monitors, needs at least ${minMonitors}: nothing would roll a bad deployment back.`);
    }
    monitors.forEach((monitor, i) => {
      if (!isSetOrUnknown(() => monitor.alarmArn)) reportViolation(`monitor ${i + 1} has no alarm ARN.`);
      if (!isSetOrUnknown(() => monitor.alarmRoleArn)) {
        reportViolation(`monitor ${i + 1} has no alarm role: AppConfig cannot read the alarm and ignores it.`);
      }
    });
  }),
};

const actionsSchema: PolicyConfigSchema = {
  properties: {
    minActions: { type: "integer", minimum: 0, default: 1, description: "Actions (e.g. SNS topics) each alarm notifies" },
  },
};

export const alarmHasActions: ResourceValidationPolicy = {
  name: "alarm-has-actions",
  description: "Every CloudWatch alarm notifies someone (alarm actions, enabled): an alarm nobody hears is only seen by the bake.",
  enforcementLevel: "mandatory",
  configSchema: actionsSchema,
  validateResource: validateResourceOfType(MetricAlarm, (alarm, args, reportViolation) => {
    const { minActions } = configOf<{ minActions: number }>(actionsSchema, args);
    if (alarm.actionsEnabled === false) reportViolation("alarm actions are disabled (actionsEnabled: false).");
    // The whole list may be unknown at preview (built from topic ARNs): it is set, then.
    const actions = knownOrUndefined(() => alarm.alarmActions?.length ?? 0);
    if (actions !== undefined && actions < minActions) {
      reportViolation(`alarm has ${actions} alarm actions, needs at least ${minActions} (e.g. the stage's SNS topic).`);
    }
  }),
};

const evaluationSchema: PolicyConfigSchema = {
  properties: {
    maxEvaluationMinutes: {
      type: "number",
      minimum: 1,
      default: 60,
      description: "Longest time an alarm may need to fire (period × evaluation periods); dcp sets the stage's shortest bake",
    },
    maxEvaluationPeriods: { type: "integer", minimum: 1, default: 10 },
    minPeriodSeconds: { type: "integer", minimum: 10, default: 60, description: "Periods under 60 s are high-resolution metrics: costly, and noisy" },
  },
};

interface EvaluationConfig {
  maxEvaluationMinutes: number;
  maxEvaluationPeriods: number;
  minPeriodSeconds: number;
}

export const alarmEvaluationSane: ResourceValidationPolicy = {
  name: "alarm-evaluation-sane",
  description: "Every alarm can fire within the stage's bake: its period and evaluation periods are in range and period × periods fits the bake.",
  enforcementLevel: "mandatory",
  configSchema: evaluationSchema,
  validateResource: validateResourceOfType(MetricAlarm, (alarm, args, reportViolation) => {
    const { maxEvaluationMinutes, maxEvaluationPeriods, minPeriodSeconds } = configOf<EvaluationConfig>(evaluationSchema, args);
    const periods = alarm.evaluationPeriods;
    const period = alarm.period;
    if (periods === undefined || periods < 1 || periods > maxEvaluationPeriods) {
      reportViolation(`evaluation periods is ${periods ?? "unset"}; use 1 to ${maxEvaluationPeriods}.`);
    }
    if (alarm.datapointsToAlarm !== undefined && periods !== undefined && alarm.datapointsToAlarm > periods) {
      reportViolation(`datapoints to alarm (${alarm.datapointsToAlarm}) exceeds evaluation periods (${periods}): the alarm can never fire.`);
    }
    if (alarm.metricQueries !== undefined && period === undefined) return;
    // CloudWatch accepts 10, 20 and 30 s (high resolution) or a multiple of 60 s.
    const valid = period !== undefined && (period % 60 === 0 || [10, 20, 30].includes(period));
    if (!valid || period < minPeriodSeconds) {
      reportViolation(`period is ${period ?? "unset"} s; use a multiple of 60 s (or 10, 20, 30) of at least ${minPeriodSeconds} s.`);
      return;
    }
    const minutes = (period * (periods ?? 1)) / 60;
    if (minutes > maxEvaluationMinutes) {
      reportViolation(`the alarm needs ${minutes} minutes of data to fire, longer than ${maxEvaluationMinutes}: it cannot stop a bad wave during the bake.`);
    }
  }),
};
