import { AsyncLocalStorage } from "node:async_hooks";
import { appendFileSync } from "node:fs";

/**
 * One AWS API call, as the least-privilege test compares it with an IAM policy: `service:action`
 * on `resource`, with the condition keys the provider knows for the request.
 */
export interface AwsCall {
  service: string;
  action: string;
  resource?: string;
  region: string;
  /** The account the call acts in: empty before the stage's role is assumed. */
  account: string;
  context: Record<string, string | string[]>;
}

/** The tags of the resource a provider operation works on, for the `aws:ResourceTag/…` keys of its calls. */
const resourceTags = new AsyncLocalStorage<Record<string, string>>();

export function withResourceTags<T>(tags: Record<string, string>, operation: () => Promise<T>): Promise<T> {
  return resourceTags.run(tags, operation);
}

/**
 * The condition keys of a request (IAM User Guide, "AWS global condition context keys"; IAM's
 * own keys from "Actions, resources, and condition keys for AWS Identity and Access
 * Management"): the region; the tags the request sets (`Tags` as a map in AppConfig, as
 * Key/Value pairs elsewhere); the boundary a role is created with; the tags of the resource
 * the operation works on.
 */
export function requestContext(input: Record<string, unknown>, region: string): AwsCall["context"] {
  const context: AwsCall["context"] = { "aws:RequestedRegion": region };
  const tags = requestTags(input.Tags);
  if (tags !== undefined) {
    for (const [key, value] of Object.entries(tags)) context[`aws:RequestTag/${key}`] = value;
    context["aws:TagKeys"] = Object.keys(tags);
  }
  if (typeof input.PermissionsBoundary === "string") context["iam:PermissionsBoundary"] = input.PermissionsBoundary;
  for (const [key, value] of Object.entries(resourceTags.getStore() ?? {})) context[`aws:ResourceTag/${key}`] = value;
  return context;
}

function requestTags(tags: unknown): Record<string, string> | undefined {
  if (Array.isArray(tags)) return Object.fromEntries(tags.map((tag: { Key?: string; Value?: string }) => [tag.Key ?? "", tag.Value ?? ""]));
  if (typeof tags === "object" && tags !== null) return tags as Record<string, string>;
  return undefined;
}

/**
 * The roles a call passes to a service, each authorised as `iam:PassRole`: an AppConfig
 * environment's monitors name the role AppConfig assumes to read their alarms (AppConfig User
 * Guide, "Configuring permissions for automatic rollback": the caller needs iam:PassRole on it).
 */
export function passedRoles(service: string, action: string, input: Record<string, unknown>): AwsCall[] {
  if (service !== "appconfig" || !["CreateEnvironment", "UpdateEnvironment"].includes(action)) return [];
  const monitors = Array.isArray(input.Monitors) ? (input.Monitors as { AlarmRoleArn?: string }[]) : [];
  const roles = [...new Set(monitors.flatMap((monitor) => (monitor.AlarmRoleArn ? [monitor.AlarmRoleArn] : [])))];
  return roles.map((resource) => ({
    service: "iam",
    action: "PassRole",
    resource,
    region: "",
    account: "",
    context: { "iam:PassedToService": "appconfig.amazonaws.com" },
  }));
}

/** Appends a line per call to `DCP_E2E_AWS_CALL_LOG`; synchronous so lines from concurrent calls never interleave. */
export function logCall(call: AwsCall): void {
  const file = process.env.DCP_E2E_AWS_CALL_LOG;
  if (file === undefined || file === "") return;
  appendFileSync(file, `${JSON.stringify(call)}\n`);
}

interface ArnScope {
  partition: string;
  region: string;
  account: string;
}

/**
 * The ARN an IAM policy would have to allow for a call, derived from the identifiers in its
 * input. Calls that take no resource (Create* of a new top-level resource, List*) have none.
 */
export function resourceOf(service: string, input: Record<string, unknown>, scope: ArnScope): string | undefined {
  const str = (key: string) => (typeof input[key] === "string" ? (input[key] as string) : undefined);
  const arn = str("ResourceArn") ?? str("ResourceARN") ?? str("TopicArn") ?? str("AlarmArn");
  if (arn !== undefined) return arn;
  const { partition, region, account } = scope;
  if (service === "sns") return str("Name") === undefined ? undefined : `arn:${partition}:sns:${region}:${account}:${str("Name")}`;
  if (service === "appconfig") return appConfigArn(input, `arn:${partition}:appconfig:${region}:${account}`);
  if (service === "cloudwatch") {
    const names = input.AlarmNames;
    const name = str("AlarmName") ?? (Array.isArray(names) && names.length === 1 ? String(names[0]) : undefined);
    return name === undefined ? undefined : `arn:${partition}:cloudwatch:${region}:${account}:alarm:${name}`;
  }
  if (service === "iam") {
    const role = str("RoleName");
    return role === undefined ? undefined : `arn:${partition}:iam::${account}:role/${role}`;
  }
  if (service === "sts") return str("RoleArn");
  return undefined;
}

function appConfigArn(input: Record<string, unknown>, prefix: string): string | undefined {
  const part = (key: string) => (input[key] === undefined ? undefined : String(input[key]));
  const strategy = part("DeploymentStrategyId");
  const application = part("ApplicationId");
  if (application === undefined) return strategy === undefined ? undefined : `${prefix}:deploymentstrategy/${strategy}`;
  const environment = part("EnvironmentId");
  const profile = part("ConfigurationProfileId");
  if (environment !== undefined) {
    const deployment = part("DeploymentNumber");
    // StartDeployment is authorised on the environment, the profile and the strategy: IAM's
    // list for it names the deployment strategy too, but the environment is what scopes it.
    const base = `${prefix}:application/${application}/environment/${environment}`;
    return deployment === undefined ? base : `${base}/deployment/${deployment}`;
  }
  if (profile !== undefined) {
    const version = part("VersionNumber");
    const base = `${prefix}:application/${application}/configurationprofile/${profile}`;
    return version === undefined ? base : `${base}/hostedconfigurationversion/${version}`;
  }
  return `${prefix}:application/${application}`;
}
