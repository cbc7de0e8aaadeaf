import {
  CreateApplicationCommand,
  CreateConfigurationProfileCommand,
  CreateEnvironmentCommand,
  DeleteApplicationCommand,
  DeleteConfigurationProfileCommand,
  DeleteEnvironmentCommand,
  GetApplicationCommand,
  GetConfigurationProfileCommand,
  GetEnvironmentCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateApplicationCommand,
  UpdateConfigurationProfileCommand,
  UpdateEnvironmentCommand,
  type ValidatorType,
} from "@aws-sdk/client-appconfig";
import { notFound, splitTags, tagChanges, tagsAll, type ResourceType } from "./resource";
import type { AwsSession } from "./session";
import { asObjectList, asString, secret, type Props } from "./values";

/** ARNs terraform-provider-aws builds itself (it never reads them from AppConfig). */
export function appConfigArn(session: AwsSession, resource: string): string {
  return `arn:${session.partition}:appconfig:${session.region}:${session.arnAccount}:${resource}`;
}

/** The `@Tags(identifierAttribute="arn")` read: tags come from ListTagsForResource on the provider-built ARN. */
export async function readAppConfigTags(session: AwsSession, arn: string): Promise<Props> {
  const listed = await session.appconfig.send(new ListTagsForResourceCommand({ ResourceArn: arn }));
  return splitTags(session, listed.Tags ?? {});
}

export async function updateAppConfigTags(session: AwsSession, arn: string, olds: Props, news: Props): Promise<void> {
  const before = (olds.tagsAll ?? {}) as Record<string, string>;
  const { tag, untag } = tagChanges(before, tagsAll(session, news.tags));
  if (untag.length > 0) await session.appconfig.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: untag }));
  if (Object.keys(tag).length > 0) await session.appconfig.send(new TagResourceCommand({ ResourceArn: arn, Tags: tag }));
}

/** Deleting what is already gone is success, as in every terraform-provider-aws delete. */
export async function ignoringNotFound(action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (error) {
    if (!notFound(error)) throw error;
  }
}

export async function readOrGone<T>(action: () => Promise<T>): Promise<T | undefined> {
  try {
    return await action();
  } catch (error) {
    if (notFound(error)) return undefined;
    throw error;
  }
}

export const application: ResourceType = {
  token: "aws:appconfig/application:Application",
  fields: { name: {}, description: {}, region: { computed: true, forceNew: true } },
  autonamed: true,
  taggable: true,
  computed: ["arn", "id"],
  async create(session, inputs) {
    const created = await session.appconfig.send(
      new CreateApplicationCommand({
        Name: asString(inputs.name),
        Description: asString(inputs.description),
        Tags: tagsAll(session, inputs.tags),
      }),
    );
    const id = created.Id ?? "";
    return { id, outputs: (await this.read(session, id, inputs)) ?? {} };
  },
  async read(session, id) {
    const app = await readOrGone(() => session.appconfig.send(new GetApplicationCommand({ ApplicationId: id })));
    if (app === undefined) return undefined;
    const arn = appConfigArn(session, `application/${id}`);
    return {
      arn,
      name: app.Name ?? "",
      description: app.Description ?? "",
      region: session.region,
      ...(await readAppConfigTags(session, arn)),
    };
  },
  async update(session, id, olds, news) {
    if (olds.name !== news.name || (olds.description ?? "") !== (news.description ?? "")) {
      await session.appconfig.send(
        new UpdateApplicationCommand({
          ApplicationId: id,
          Name: asString(news.name),
          Description: asString(news.description) ?? "",
        }),
      );
    }
    await updateAppConfigTags(session, appConfigArn(session, `application/${id}`), olds, news);
    return (await this.read(session, id, news)) ?? {};
  },
  async delete(session, id) {
    await ignoringNotFound(() => session.appconfig.send(new DeleteApplicationCommand({ ApplicationId: id })));
  },
};

function monitors(inputs: Props) {
  return asObjectList(inputs.monitors).map((monitor) => ({
    AlarmArn: asString(monitor.alarmArn),
    AlarmRoleArn: asString(monitor.alarmRoleArn),
  }));
}

/**
 * Environments and profiles are ided `<ownId>:<applicationId>` (terraform-provider-aws
 * environmentCreateResourceID, ConfigurationProfileParseID).
 */
function childOfApplication(id: string): { ownId: string; applicationId: string } {
  const [ownId = "", applicationId = ""] = id.split(":");
  return { ownId, applicationId };
}

export const environment: ResourceType = {
  token: "aws:appconfig/environment:Environment",
  fields: {
    applicationId: { forceNew: true },
    name: {},
    // A framework default of "" kept "for backwards compatibility with the SDK resource".
    description: { default: "" },
    monitors: { set: true },
    region: { computed: true, forceNew: true },
  },
  autonamed: true,
  taggable: true,
  computed: ["arn", "environmentId", "state", "id"],
  async create(session, inputs) {
    const created = await session.appconfig.send(
      new CreateEnvironmentCommand({
        ApplicationId: asString(inputs.applicationId),
        Name: asString(inputs.name),
        Description: asString(inputs.description),
        Monitors: monitors(inputs),
        Tags: tagsAll(session, inputs.tags),
      }),
    );
    const id = `${created.Id}:${created.ApplicationId}`;
    return { id, outputs: (await this.read(session, id, inputs)) ?? {} };
  },
  async read(session, id) {
    const { ownId: environmentId, applicationId } = childOfApplication(id);
    const env = await readOrGone(() =>
      session.appconfig.send(new GetEnvironmentCommand({ ApplicationId: applicationId, EnvironmentId: environmentId })),
    );
    if (env === undefined) return undefined;
    const arn = appConfigArn(session, `application/${applicationId}/environment/${environmentId}`);
    return {
      applicationId,
      arn,
      environmentId,
      name: env.Name ?? "",
      description: env.Description ?? "",
      monitors: (env.Monitors ?? []).map((m) => ({ alarmArn: m.AlarmArn ?? "", alarmRoleArn: m.AlarmRoleArn ?? "" })),
      state: env.State ?? "",
      region: session.region,
      ...(await readAppConfigTags(session, arn)),
    };
  },
  async update(session, id, olds, news) {
    const { ownId: environmentId, applicationId } = childOfApplication(id);
    // The framework resource sends name, description and all monitors (an empty list clears them).
    await session.appconfig.send(
      new UpdateEnvironmentCommand({
        ApplicationId: applicationId,
        EnvironmentId: environmentId,
        Name: asString(news.name),
        Description: asString(news.description),
        Monitors: monitors(news),
      }),
    );
    await updateAppConfigTags(session, appConfigArn(session, `application/${applicationId}/environment/${environmentId}`), olds, news);
    return (await this.read(session, id, news)) ?? {};
  },
  async delete(session, id) {
    const { ownId: environmentId, applicationId } = childOfApplication(id);
    await ignoringNotFound(() =>
      session.appconfig.send(new DeleteEnvironmentCommand({ ApplicationId: applicationId, EnvironmentId: environmentId })),
    );
  },
};

function validators(inputs: Props) {
  return asObjectList(inputs.validators).map((validator) => ({
    Type: asString(validator.type) as ValidatorType,
    Content: asString(validator.content),
  }));
}

export const configurationProfile: ResourceType = {
  token: "aws:appconfig/configurationProfile:ConfigurationProfile",
  fields: {
    applicationId: { forceNew: true },
    name: {},
    description: {},
    locationUri: { forceNew: true },
    type: { forceNew: true, default: "AWS.Freeform" },
    validators: { set: true, json: true },
    kmsKeyIdentifier: {},
    retrievalRoleArn: {},
    region: { computed: true, forceNew: true },
  },
  autonamed: true,
  taggable: true,
  computed: ["arn", "configurationProfileId", "id"],
  async create(session, inputs) {
    const created = await session.appconfig.send(
      new CreateConfigurationProfileCommand({
        ApplicationId: asString(inputs.applicationId),
        Name: asString(inputs.name),
        Description: asString(inputs.description),
        LocationUri: asString(inputs.locationUri),
        Type: asString(inputs.type),
        Validators: validators(inputs).length > 0 ? validators(inputs) : undefined,
        KmsKeyIdentifier: asString(inputs.kmsKeyIdentifier),
        RetrievalRoleArn: asString(inputs.retrievalRoleArn),
        Tags: tagsAll(session, inputs.tags),
      }),
    );
    const id = `${created.Id}:${created.ApplicationId}`;
    return { id, outputs: (await this.read(session, id, inputs)) ?? {} };
  },
  async read(session, id) {
    const { ownId: profileId, applicationId } = childOfApplication(id);
    const profile = await readOrGone(() =>
      session.appconfig.send(
        new GetConfigurationProfileCommand({ ApplicationId: applicationId, ConfigurationProfileId: profileId }),
      ),
    );
    if (profile === undefined) return undefined;
    const arn = appConfigArn(session, `application/${applicationId}/configurationprofile/${profileId}`);
    return {
      applicationId,
      arn,
      configurationProfileId: profileId,
      name: profile.Name ?? "",
      description: profile.Description ?? "",
      locationUri: profile.LocationUri ?? "",
      type: profile.Type ?? "",
      kmsKeyIdentifier: profile.KmsKeyIdentifier ?? "",
      retrievalRoleArn: profile.RetrievalRoleArn ?? "",
      // `validator.content` is Sensitive in the TF schema: the bridge returns it as a secret.
      validators: (profile.Validators ?? []).map((v) => ({ type: v.Type ?? "", content: secret(v.Content ?? "") })),
      region: session.region,
      ...(await readAppConfigTags(session, arn)),
    };
  },
  async update(session, id, olds, news) {
    const { ownId: profileId, applicationId } = childOfApplication(id);
    await session.appconfig.send(
      new UpdateConfigurationProfileCommand({
        ApplicationId: applicationId,
        ConfigurationProfileId: profileId,
        Name: asString(news.name),
        Description: asString(news.description) ?? "",
        // AppConfig needs an empty list, not none, to remove every validator.
        Validators: validators(news),
        ...(news.kmsKeyIdentifier ? { KmsKeyIdentifier: asString(news.kmsKeyIdentifier) } : {}),
        ...(news.retrievalRoleArn ? { RetrievalRoleArn: asString(news.retrievalRoleArn) } : {}),
      }),
    );
    await updateAppConfigTags(session, appConfigArn(session, `application/${applicationId}/configurationprofile/${profileId}`), olds, news);
    return (await this.read(session, id, news)) ?? {};
  },
  async delete(session, id) {
    const { ownId: profileId, applicationId } = childOfApplication(id);
    await ignoringNotFound(() =>
      session.appconfig.send(
        new DeleteConfigurationProfileCommand({ ApplicationId: applicationId, ConfigurationProfileId: profileId }),
      ),
    );
  },
};
