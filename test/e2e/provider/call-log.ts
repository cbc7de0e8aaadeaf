import { appendFileSync } from "node:fs";

/** One AWS API call, as the least-privilege test compares it with an IAM policy: `service:action` on `resource`. */
export interface AwsCall {
  service: string;
  action: string;
  resource?: string;
  region: string;
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
