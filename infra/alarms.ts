import * as pulumi from "@pulumi/pulumi";
import { MetricAlarm, type MetricAlarmArgs } from "@pulumi/aws/cloudwatch";
import { Topic } from "@pulumi/aws/sns";
import { COMPONENT_TYPES } from "./component-types";
import type { Alarm } from "./stack-config";

export interface StageAlarmsArgs {
  workload: string;
  stage: string;
  alarms: Alarm[];
}

/**
 * The stage's CloudWatch alarms, notifying one SNS topic when they fire and recover.
 * AppConfig watches the same alarms during deployments, and the bake reads them.
 */
export class StageAlarms extends pulumi.ComponentResource {
  readonly topicArn: pulumi.Output<string>;
  /** In the order of the stage file. */
  readonly alarmNames: pulumi.Output<string>[];
  readonly alarmArns: pulumi.Output<string>[];

  constructor(name: string, args: StageAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(COMPONENT_TYPES.alarms, name, {}, opts);
    // Left without a KMS key on purpose: CloudWatch cannot publish to a topic encrypted
    // with the AWS-managed aws/sns key, and the notifications carry no configuration.
    const topic = new Topic("notifications", { name: `${args.workload}-${args.stage}-alarms` }, { parent: this });
    const alarms = args.alarms.map(
      (alarm) =>
        new MetricAlarm(alarm.name, metricAlarmArgs(alarm, alarmName(args, alarm), topic.arn), { parent: this }),
    );
    this.topicArn = topic.arn;
    this.alarmNames = alarms.map((alarm) => alarm.name);
    this.alarmArns = alarms.map((alarm) => alarm.arn);
    this.registerOutputs({ topicArn: this.topicArn, alarmNames: this.alarmNames, alarmArns: this.alarmArns });
  }
}

/** Alarm names are unique per account and region, and two stages may share an account. */
export function alarmName(args: Pick<StageAlarmsArgs, "workload" | "stage">, alarm: Alarm): string {
  return `${args.workload}-${args.stage}-${alarm.name}`;
}

/** CloudWatch takes percentiles (p99, p99.9) as an extended statistic, not a statistic. */
export function metricAlarmArgs(alarm: Alarm, name: string, topicArn: pulumi.Input<string>): MetricAlarmArgs {
  const isPercentile = alarm.statistic.startsWith("p");
  return {
    name,
    alarmDescription: alarm.description ?? `dcp: ${alarm.namespace} ${alarm.metric} ${alarm.comparison} ${alarm.threshold}`,
    namespace: alarm.namespace,
    metricName: alarm.metric,
    dimensions: alarm.dimensions ?? {},
    ...(isPercentile ? { extendedStatistic: alarm.statistic } : { statistic: alarm.statistic }),
    period: alarm.period,
    evaluationPeriods: alarm.evaluationPeriods,
    threshold: alarm.threshold,
    comparisonOperator: alarm.comparison,
    treatMissingData: alarm.treatMissingData ?? "missing",
    actionsEnabled: true,
    alarmActions: [topicArn],
    okActions: [topicArn],
    tags: { alarm: alarm.name },
  };
}
