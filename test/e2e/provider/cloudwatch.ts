import {
  type ComparisonOperator,
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  ListTagsForResourceCommand,
  PutMetricAlarmCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type Statistic,
  type StandardUnit,
} from "@aws-sdk/client-cloudwatch";
import { ignoringNotFound } from "./appconfig";
import { splitTags, tagChanges, tagsAll, type ResourceType } from "./resource";
import type { AwsSession } from "./session";
import { asNumber, asString, asStringMap, type Props, type Value } from "./values";

function strings(value: Value | undefined): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** PutMetricAlarm creates and updates alike: the TF resource sends the whole alarm each time. */
function putAlarm(session: AwsSession, inputs: Props, withTags: boolean) {
  const dimensions = Object.entries(asStringMap(inputs.dimensions)).map(([Name, Value]) => ({ Name, Value }));
  return session.cloudwatch.send(
    new PutMetricAlarmCommand({
      AlarmName: asString(inputs.name),
      AlarmDescription: asString(inputs.alarmDescription),
      ActionsEnabled: inputs.actionsEnabled !== false,
      AlarmActions: strings(inputs.alarmActions),
      OKActions: strings(inputs.okActions),
      InsufficientDataActions: strings(inputs.insufficientDataActions),
      Namespace: asString(inputs.namespace),
      MetricName: asString(inputs.metricName),
      Dimensions: dimensions.length > 0 ? dimensions : undefined,
      Statistic: asString(inputs.statistic) as Statistic | undefined,
      ExtendedStatistic: asString(inputs.extendedStatistic),
      Period: asNumber(inputs.period),
      EvaluationPeriods: asNumber(inputs.evaluationPeriods),
      DatapointsToAlarm: asNumber(inputs.datapointsToAlarm),
      Threshold: asNumber(inputs.threshold),
      ComparisonOperator: asString(inputs.comparisonOperator) as ComparisonOperator,
      TreatMissingData: asString(inputs.treatMissingData),
      Unit: asString(inputs.unit) as StandardUnit | undefined,
      // Tags go with the create only; later changes go through TagResource/UntagResource.
      ...(withTags ? { Tags: Object.entries(tagsAll(session, inputs.tags)).map(([Key, Value]) => ({ Key, Value })) } : {}),
    }),
  );
}

export const metricAlarm: ResourceType = {
  token: "aws:cloudwatch/metricAlarm:MetricAlarm",
  fields: {
    name: { forceNew: true },
    alarmDescription: {},
    actionsEnabled: { default: true },
    alarmActions: { set: true },
    okActions: { set: true },
    insufficientDataActions: { set: true },
    namespace: {},
    metricName: {},
    dimensions: {},
    statistic: {},
    extendedStatistic: {},
    period: {},
    evaluationPeriods: {},
    datapointsToAlarm: {},
    threshold: {},
    comparisonOperator: {},
    treatMissingData: { default: "missing" },
    unit: {},
    region: { computed: true, forceNew: true },
  },
  autonamed: true,
  taggable: true,
  computed: ["arn", "id"],
  async create(session, inputs) {
    await putAlarm(session, inputs, true);
    const id = asString(inputs.name) ?? "";
    const outputs = await this.read(session, id, inputs);
    if (outputs === undefined) throw new Error(`CloudWatch Metric Alarm (${id}) not found after PutMetricAlarm`);
    return { id, outputs };
  },
  async read(session, id) {
    const described = await session.cloudwatch.send(
      new DescribeAlarmsCommand({ AlarmNames: [id], AlarmTypes: ["MetricAlarm"] }),
    );
    const alarm = described.MetricAlarms?.[0];
    if (alarm === undefined) return undefined;
    const listed = await session.cloudwatch.send(new ListTagsForResourceCommand({ ResourceARN: alarm.AlarmArn }));
    const tags = Object.fromEntries((listed.Tags ?? []).map((tag) => [tag.Key ?? "", tag.Value ?? ""]));
    return {
      // The ARN is CloudWatch's own (DescribeAlarms), so it carries the real account.
      arn: alarm.AlarmArn ?? "",
      name: alarm.AlarmName ?? id,
      alarmDescription: alarm.AlarmDescription ?? "",
      actionsEnabled: alarm.ActionsEnabled ?? true,
      alarmActions: alarm.AlarmActions ?? [],
      okActions: alarm.OKActions ?? [],
      insufficientDataActions: alarm.InsufficientDataActions ?? [],
      namespace: alarm.Namespace ?? "",
      metricName: alarm.MetricName ?? "",
      dimensions: Object.fromEntries((alarm.Dimensions ?? []).map((d) => [d.Name ?? "", d.Value ?? ""])),
      statistic: alarm.Statistic ?? "",
      extendedStatistic: alarm.ExtendedStatistic ?? "",
      period: alarm.Period ?? 0,
      evaluationPeriods: alarm.EvaluationPeriods ?? 0,
      datapointsToAlarm: alarm.DatapointsToAlarm ?? 0,
      threshold: alarm.Threshold ?? 0,
      comparisonOperator: alarm.ComparisonOperator ?? "",
      treatMissingData: alarm.TreatMissingData ?? "missing",
      unit: alarm.Unit ?? "",
      region: session.region,
      ...splitTags(session, tags),
    };
  },
  async update(session, id, olds, news) {
    await putAlarm(session, news, false);
    const arn = asString(olds.arn) ?? "";
    const { tag, untag } = tagChanges((olds.tagsAll ?? {}) as Record<string, string>, tagsAll(session, news.tags));
    if (untag.length > 0) await session.cloudwatch.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: untag }));
    if (Object.keys(tag).length > 0) {
      const tags = Object.entries(tag).map(([Key, Value]) => ({ Key, Value }));
      await session.cloudwatch.send(new TagResourceCommand({ ResourceARN: arn, Tags: tags }));
    }
    return (await this.read(session, id, news)) ?? {};
  },
  async delete(session, id) {
    await ignoringNotFound(() => session.cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: [id] })));
  },
};
