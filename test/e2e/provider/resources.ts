import { application, configurationProfile, environment } from "./appconfig";
import { deployment, deploymentStrategy, hostedConfigurationVersion } from "./appconfig-deploy";
import { metricAlarm } from "./cloudwatch";
import { DEFAULTS_KEY } from "./diff";
import { role, rolePolicy } from "./iam";
import { tagsAll, type ResourceType } from "./resource";
import type { AwsSession } from "./session";
import { containsUnknown, reveal, UNKNOWN, type Props } from "./values";
import { topic } from "./sns";

/** The resource types infra/ declares; anything else is refused, so a new one is noticed rather than faked. */
const TYPES: ResourceType[] = [
  application,
  environment,
  configurationProfile,
  hostedConfigurationVersion,
  deploymentStrategy,
  deployment,
  metricAlarm,
  role,
  rolePolicy,
  topic,
];

const BY_TOKEN = new Map(TYPES.map((type) => [type.token, type]));

export function resourceType(urn: string, token: string): ResourceType {
  const type = BY_TOKEN.get(token || (urn.split("::")[2]?.split("$").pop() ?? ""));
  if (type === undefined) throw new Error(`unrecognized resource type: ${token || urn} (the e2e aws provider emulates only what infra/ declares)`);
  return type;
}

/** With the id, as the bridge's outputs carry it; never the `__defaults` bookkeeping of the inputs. */
export function withId(id: string, outputs: Props): Props {
  return { ...outputs, id };
}

/**
 * What a preview of a create shows: the inputs, the provider-computed `tagsAll`, and unknowns
 * for everything only AWS can tell (ids, ARNs, numbers).
 */
export function previewCreate(type: ResourceType, session: Pick<AwsSession, "defaultTags">, inputs: Props): Props {
  const outputs: Props = { ...inputs };
  delete outputs[DEFAULTS_KEY];
  for (const key of type.computed) outputs[key] = UNKNOWN;
  if (type.taggable) outputs.tagsAll = containsUnknown(inputs.tags ?? null) ? UNKNOWN : tagsAll(session, reveal(inputs.tags ?? null));
  return outputs;
}

/** A preview of an update: the old state with the new inputs over it. */
export function previewUpdate(type: ResourceType, session: Pick<AwsSession, "defaultTags">, olds: Props, news: Props): Props {
  const outputs: Props = { ...olds, ...news };
  delete outputs[DEFAULTS_KEY];
  if (type.taggable) outputs.tagsAll = containsUnknown(news.tags ?? null) ? UNKNOWN : tagsAll(session, reveal(news.tags ?? null));
  return outputs;
}
