import {
  CreateDeploymentStrategyCommand,
  CreateHostedConfigurationVersionCommand,
  DeleteDeploymentStrategyCommand,
  DeleteHostedConfigurationVersionCommand,
  GetDeploymentCommand,
  GetDeploymentStrategyCommand,
  GetHostedConfigurationVersionCommand,
  StartDeploymentCommand,
  UpdateDeploymentStrategyCommand,
  type GrowthType,
  type ReplicateTo,
} from "@aws-sdk/client-appconfig";
import { setTimeout as sleep } from "node:timers/promises";
import { appConfigArn, ignoringNotFound, readAppConfigTags, readOrGone, updateAppConfigTags } from "./appconfig";
import { tagsAll, type ResourceType } from "./resource";
import type { AwsSession } from "./session";
import { asNumber, asString, secret } from "./values";

/** `applicationId/profileId/versionNumber` (terraform-provider-aws HostedConfigurationVersionParseID). */
function versionKey(id: string) {
  const [applicationId = "", profileId = "", version = "0"] = id.split("/");
  return { applicationId, profileId, versionNumber: Number(version) };
}

export const hostedConfigurationVersion: ResourceType = {
  token: "aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion",
  // The resource has no Update: every argument is ForceNew.
  fields: {
    applicationId: { forceNew: true },
    configurationProfileId: { forceNew: true },
    content: { forceNew: true },
    contentType: { forceNew: true },
    description: { forceNew: true },
    region: { computed: true, forceNew: true },
  },
  autonamed: false,
  taggable: false,
  computed: ["arn", "versionNumber", "id"],
  async create(session, inputs) {
    const created = await session.appconfig.send(
      new CreateHostedConfigurationVersionCommand({
        ApplicationId: asString(inputs.applicationId),
        ConfigurationProfileId: asString(inputs.configurationProfileId),
        Content: new TextEncoder().encode(asString(inputs.content) ?? ""),
        ContentType: asString(inputs.contentType),
        Description: asString(inputs.description) || undefined,
      }),
    );
    const id = `${created.ApplicationId}/${created.ConfigurationProfileId}/${created.VersionNumber}`;
    return { id, outputs: (await this.read(session, id, inputs)) ?? {} };
  },
  async read(session, id) {
    const { applicationId, profileId, versionNumber } = versionKey(id);
    const version = await readOrGone(() =>
      session.appconfig.send(
        new GetHostedConfigurationVersionCommand({
          ApplicationId: applicationId,
          ConfigurationProfileId: profileId,
          VersionNumber: versionNumber,
        }),
      ),
    );
    if (version === undefined) return undefined;
    return {
      applicationId,
      arn: appConfigArn(
        session,
        `application/${applicationId}/configurationprofile/${profileId}/hostedconfigurationversion/${versionNumber}`,
      ),
      configurationProfileId: profileId,
      // What AppConfig stores, not what was sent (feature flags gain _createdAt/_updatedAt),
      // and a secret: `content` is Sensitive in the TF schema and secret in pulumi-aws's.
      content: secret(new TextDecoder().decode(version.Content ?? new Uint8Array())),
      contentType: version.ContentType ?? "",
      description: version.Description ?? "",
      versionNumber: version.VersionNumber ?? versionNumber,
      region: session.region,
    };
  },
  async update() {
    throw new Error("aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion has no update: every argument forces replacement");
  },
  async delete(session, id) {
    const { applicationId, profileId, versionNumber } = versionKey(id);
    await ignoringNotFound(() =>
      session.appconfig.send(
        new DeleteHostedConfigurationVersionCommand({
          ApplicationId: applicationId,
          ConfigurationProfileId: profileId,
          VersionNumber: versionNumber,
        }),
      ),
    );
  },
};

export const deploymentStrategy: ResourceType = {
  token: "aws:appconfig/deploymentStrategy:DeploymentStrategy",
  fields: {
    name: { forceNew: true },
    description: {},
    deploymentDurationInMinutes: {},
    finalBakeTimeInMinutes: {},
    growthFactor: {},
    growthType: { default: "LINEAR" },
    replicateTo: { forceNew: true },
    region: { computed: true, forceNew: true },
  },
  autonamed: true,
  taggable: true,
  computed: ["arn", "id"],
  async create(session, inputs) {
    const created = await session.appconfig.send(
      new CreateDeploymentStrategyCommand({
        Name: asString(inputs.name),
        Description: asString(inputs.description) || undefined,
        DeploymentDurationInMinutes: asNumber(inputs.deploymentDurationInMinutes),
        FinalBakeTimeInMinutes: asNumber(inputs.finalBakeTimeInMinutes) || undefined,
        GrowthFactor: asNumber(inputs.growthFactor),
        GrowthType: asString(inputs.growthType) as GrowthType,
        ReplicateTo: asString(inputs.replicateTo) as ReplicateTo,
        Tags: tagsAll(session, inputs.tags),
      }),
    );
    const id = created.Id ?? "";
    return { id, outputs: (await this.read(session, id, inputs)) ?? {} };
  },
  async read(session, id) {
    const strategy = await readOrGone(() =>
      session.appconfig.send(new GetDeploymentStrategyCommand({ DeploymentStrategyId: id })),
    );
    if (strategy === undefined) return undefined;
    const arn = appConfigArn(session, `deploymentstrategy/${id}`);
    return {
      arn,
      name: strategy.Name ?? "",
      description: strategy.Description ?? "",
      deploymentDurationInMinutes: strategy.DeploymentDurationInMinutes ?? 0,
      finalBakeTimeInMinutes: strategy.FinalBakeTimeInMinutes ?? 0,
      growthFactor: strategy.GrowthFactor ?? 0,
      growthType: strategy.GrowthType ?? "",
      replicateTo: strategy.ReplicateTo ?? "",
      region: session.region,
      ...(await readAppConfigTags(session, arn)),
    };
  },
  async update(session, id, olds, news) {
    const changed = (key: string) => String(olds[key] ?? "") !== String(news[key] ?? "");
    if (["description", "deploymentDurationInMinutes", "finalBakeTimeInMinutes", "growthFactor", "growthType"].some(changed)) {
      // Like the TF resource, only what changed is sent.
      await session.appconfig.send(
        new UpdateDeploymentStrategyCommand({
          DeploymentStrategyId: id,
          ...(changed("description") ? { Description: asString(news.description) ?? "" } : {}),
          ...(changed("deploymentDurationInMinutes") ? { DeploymentDurationInMinutes: asNumber(news.deploymentDurationInMinutes) } : {}),
          ...(changed("finalBakeTimeInMinutes") ? { FinalBakeTimeInMinutes: asNumber(news.finalBakeTimeInMinutes) ?? 0 } : {}),
          ...(changed("growthFactor") ? { GrowthFactor: asNumber(news.growthFactor) } : {}),
          ...(changed("growthType") ? { GrowthType: asString(news.growthType) as GrowthType } : {}),
        }),
      );
    }
    await updateAppConfigTags(session, appConfigArn(session, `deploymentstrategy/${id}`), olds, news);
    return (await this.read(session, id, news)) ?? {};
  },
  async delete(session, id) {
    await ignoringNotFound(() => session.appconfig.send(new DeleteDeploymentStrategyCommand({ DeploymentStrategyId: id })));
  },
};

/** `applicationId/environmentId/deploymentNumber` (terraform-provider-aws DeploymentParseID). */
function deploymentKey(id: string) {
  const [applicationId = "", environmentId = "", number = "0"] = id.split("/");
  return { applicationId, environmentId, deploymentNumber: Number(number) };
}

/** terraform-provider-aws retries StartDeployment on ConflictException "for AWS SDK for Go v1 compatibility". */
const CONFLICT_RETRY_MINUTES = 30;

/**
 * StartDeployment, retried while another deployment is in progress in the environment, for up
 * to 30 AWS minutes (time-scaled by DCP_E2E_MINUTE_MS). Polls every 5 AWS seconds, bounded so a
 * scaled minute neither spins nor sleeps past the deadline.
 */
async function startDeployment(session: AwsSession, command: StartDeploymentCommand) {
  const deadline = Date.now() + CONFLICT_RETRY_MINUTES * session.minuteMs;
  const pause = Math.min(5000, Math.max(20, session.minuteMs / 12));
  for (;;) {
    try {
      return await session.appconfig.send(command);
    } catch (error) {
      if ((error as Error).name !== "ConflictException" || Date.now() + pause > deadline) throw error;
      await sleep(pause);
    }
  }
}

export const deployment: ResourceType = {
  token: "aws:appconfig/deployment:Deployment",
  // Every argument but the tags forces a new deployment; there is nothing to update in AppConfig.
  fields: {
    applicationId: { forceNew: true },
    environmentId: { forceNew: true },
    configurationProfileId: { forceNew: true },
    configurationVersion: { forceNew: true },
    deploymentStrategyId: { forceNew: true },
    description: { forceNew: true },
    kmsKeyIdentifier: { forceNew: true },
    region: { computed: true, forceNew: true },
  },
  autonamed: false,
  taggable: true,
  computed: ["arn", "deploymentNumber", "kmsKeyArn", "state", "id"],
  async create(session, inputs) {
    // Returns as soon as the deployment has started: the real resource does not wait for it.
    const started = await startDeployment(
      session,
      new StartDeploymentCommand({
        ApplicationId: asString(inputs.applicationId),
        EnvironmentId: asString(inputs.environmentId),
        ConfigurationProfileId: asString(inputs.configurationProfileId),
        ConfigurationVersion: asString(inputs.configurationVersion),
        DeploymentStrategyId: asString(inputs.deploymentStrategyId),
        Description: asString(inputs.description) ?? "",
        KmsKeyIdentifier: asString(inputs.kmsKeyIdentifier) || undefined,
        Tags: tagsAll(session, inputs.tags),
      }),
    );
    const id = `${started.ApplicationId}/${started.EnvironmentId}/${started.DeploymentNumber}`;
    return { id, outputs: (await this.read(session, id, inputs)) ?? {} };
  },
  async read(session, id) {
    const { applicationId, environmentId, deploymentNumber } = deploymentKey(id);
    const found = await readOrGone(() =>
      session.appconfig.send(
        new GetDeploymentCommand({ ApplicationId: applicationId, EnvironmentId: environmentId, DeploymentNumber: deploymentNumber }),
      ),
    );
    if (found === undefined) return undefined;
    const arn = appConfigArn(session, `application/${applicationId}/environment/${environmentId}/deployment/${deploymentNumber}`);
    return {
      applicationId,
      arn,
      configurationProfileId: found.ConfigurationProfileId ?? "",
      configurationVersion: found.ConfigurationVersion ?? "",
      deploymentNumber: found.DeploymentNumber ?? deploymentNumber,
      deploymentStrategyId: found.DeploymentStrategyId ?? "",
      description: found.Description ?? "",
      environmentId,
      kmsKeyArn: found.KmsKeyArn ?? "",
      kmsKeyIdentifier: found.KmsKeyIdentifier ?? "",
      state: found.State ?? "",
      region: session.region,
      ...(await readAppConfigTags(session, arn)),
    };
  },
  async update(session, id, olds, news) {
    const { applicationId, environmentId, deploymentNumber } = deploymentKey(id);
    const arn = appConfigArn(session, `application/${applicationId}/environment/${environmentId}/deployment/${deploymentNumber}`);
    await updateAppConfigTags(session, arn, olds, news);
    return (await this.read(session, id, news)) ?? {};
  },
  // AppConfig cannot delete a deployment: the real provider only forgets it.
  async delete() {},
};
