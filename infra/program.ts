import * as pulumi from "@pulumi/pulumi";
import { StageAlarms } from "./alarms";
import { ConfigApplication } from "./appconfig/application";
import { ProfileDeployments } from "./appconfig/deployments";
import { MonitoredEnvironment } from "./appconfig/environment";
import { changedProfiles, confirmedContent, renderProfileContents } from "./appconfig/profile-contents";
import { ConfigProfiles } from "./appconfig/profiles";
import { boundedName, monitoringRoleName, NAME_LIMITS, permissionsBoundaryArn } from "./names";
import type { StackOutputs } from "./outputs";
import { declareStageProvider } from "./provider";
import type { StackConfig } from "./stack-config";

export type DeclaredOutputs = { [K in keyof StackOutputs]: pulumi.Output<StackOutputs[K]> };

/**
 * Declares one stack (a stage in a region) from its StackConfig. A function rather
 * than top-level code so that `dcp validate` can run it for every stack in one process.
 */
export function declareStack(config: StackConfig): DeclaredOutputs {
  const profiles = renderProfileContents(config, referenceDate(config));
  const provider = declareStageProvider(config);
  const opts = { provider };

  const alarms = new StageAlarms("alarms", { workload: config.workload, stage: config.stage, alarms: config.alarms }, opts);
  const application = new ConfigApplication("appconfig", { workload: config.workload }, opts);
  const environment = new MonitoredEnvironment(
    config.stage,
    {
      applicationId: application.applicationId,
      name: config.stage,
      account: config.account,
      monitoringRoleName: monitoringRoleName(config.workload, config.stage, config.region),
      permissionsBoundary: permissionsBoundaryArn(config.role, config.account, config.workload),
      alarmArns: alarms.alarmArns,
    },
    opts,
  );
  const hosted = new ConfigProfiles("profiles", { applicationId: application.applicationId, profiles }, opts);
  const deployedContent = config.metadata?.deployedContent;
  const next = changedProfiles(profiles, deployedContent)[0];
  const deployments = new ProfileDeployments(
    "deployments",
    {
      applicationId: application.applicationId,
      environmentId: environment.environmentId,
      strategyName: boundedName(`${config.workload}-${config.stage}`, NAME_LIMITS.deploymentStrategy),
      rollout: config.rollout,
      releaseId: config.metadata?.releaseId,
      ...(next !== undefined && { next }),
      hosted: hosted.hosted,
    },
    opts,
  );

  return {
    releaseId: pulumi.output(config.metadata?.releaseId ?? ""),
    applicationId: application.applicationId,
    environmentId: environment.environmentId,
    profileIds: pulumi.output(mapValues(hosted.hosted, (profile) => profile.profileId)),
    contentHashes: pulumi.output(Object.fromEntries(profiles.map((profile) => [profile.name, profile.hash]))),
    deployedContent: pulumi.output(confirmedContent(profiles, deployedContent)),
    deploymentNumbers: pulumi.output(deployments.deploymentNumbers),
    deploymentStrategyId: deployments.strategyId,
    alarmNames: pulumi.output(alarms.alarmNames),
    alarmArns: pulumi.output(alarms.alarmArns),
  };
}

/**
 * The day against which flag expiry is judged: the release's own date, so that a
 * release renders the same content whenever it is previewed, rolled out or rolled back.
 */
function referenceDate(config: StackConfig): string {
  const releasedAt = config.metadata?.releasedAt;
  const date = releasedAt === undefined ? new Date() : new Date(releasedAt);
  if (Number.isNaN(date.getTime())) throw new Error(`metadata.releasedAt is not a date: ${releasedAt}`);
  return date.toISOString().slice(0, 10);
}

function mapValues<T, U>(record: Record<string, T>, map: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}
