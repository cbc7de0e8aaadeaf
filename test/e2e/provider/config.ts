import { asStringMap, decodeNested, asObjectList, asString, type Props, type Value } from "./values";

/** The provider settings dcp relies on, from the explicit provider's args or the `aws:` stack config. */
export interface ProviderConfig {
  region: string;
  /** Per service (appconfig, cloudwatch, iam, sns, sts): the URL to call instead of AWS. */
  endpoints: Record<string, string>;
  assumeRole?: { roleArn: string; sessionName?: string; externalId?: string };
  defaultTags: Record<string, string>;
  /** pulumi-aws builds ARNs with an empty account when it may not look the account up. */
  skipRequestingAccountId: boolean;
  skipCredentialsValidation: boolean;
}

/**
 * Merges, lowest precedence first: `PULUMI_CONFIG` (the default provider's `aws:` stack config),
 * the deprecated `variables` map (`aws:config:<key>`) and the provider's own args.
 */
export function parseConfig(args: Props, variables: Record<string, string>, env: NodeJS.ProcessEnv): ProviderConfig {
  const merged: Props = {};
  for (const [key, value] of Object.entries(stackConfig(env))) merged[key] = value;
  for (const [key, value] of Object.entries(variables)) {
    if (key.startsWith("aws:config:")) merged[key.slice("aws:config:".length)] = value;
  }
  for (const [key, value] of Object.entries(args)) if (value !== null) merged[key] = value;

  const region = asString(merged.region) ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (region === undefined || region === "") {
    throw new Error("Missing required configuration key aws:region: set it with `pulumi config set aws:region <region>`");
  }
  return {
    region,
    endpoints: parseEndpoints(merged.endpoints),
    assumeRole: parseAssumeRole(merged.assumeRoles ?? merged.assumeRole),
    defaultTags: asStringMap(asObject(merged.defaultTags)?.tags ?? null),
    skipRequestingAccountId: isTrue(merged.skipRequestingAccountId),
    skipCredentialsValidation: isTrue(merged.skipCredentialsValidation),
  };
}

function stackConfig(env: NodeJS.ProcessEnv): Props {
  if (env.PULUMI_CONFIG === undefined || env.PULUMI_CONFIG === "") return {};
  const all = JSON.parse(env.PULUMI_CONFIG) as Record<string, Value>;
  return Object.fromEntries(
    Object.entries(all)
      .filter(([key]) => key.startsWith("aws:"))
      .map(([key, value]) => [key.slice("aws:".length), value]),
  );
}

function asObject(value: Value | undefined): Props | undefined {
  const decoded = decodeNested(value);
  return typeof decoded === "object" && decoded !== null && !Array.isArray(decoded) ? decoded : undefined;
}

function isTrue(value: Value | undefined): boolean {
  return decodeNested(value) === true;
}

/** `endpoints` is a list of objects in pulumi-aws (a TF set block); later entries win, as the set has one element in practice. */
function parseEndpoints(value: Value | undefined): Record<string, string> {
  const endpoints: Record<string, string> = {};
  for (const entry of asObjectList(value)) {
    for (const [service, url] of Object.entries(entry)) if (typeof url === "string" && url !== "") endpoints[service] = url;
  }
  return endpoints;
}

/** pulumi-aws v7 takes `assumeRoles` (a list; the TF provider chains them, dcp uses one); older configs `assumeRole`. */
function parseAssumeRole(value: Value | undefined): ProviderConfig["assumeRole"] {
  const decoded = decodeNested(value);
  const entries = Array.isArray(decoded) ? asObjectList(decoded) : [asObject(decoded)].filter((e) => e !== undefined);
  const role = entries.find((entry) => asString(entry.roleArn));
  if (role === undefined) return undefined;
  return {
    roleArn: asString(role.roleArn) ?? "",
    sessionName: asString(role.sessionName),
    externalId: asString(role.externalId),
  };
}
