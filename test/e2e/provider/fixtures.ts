import { declare, type rpc } from "./plugin-client";
import { SECRET_SIG, SIG_KEY, type Props } from "./values";

export const MINUTE_MS = 200;
export const REGION = "eu-west-1";
export const ROLE = "arn:aws:iam::123456789012:role/dcp-deploy";
export const T = {
  app: "aws:appconfig/application:Application",
  env: "aws:appconfig/environment:Environment",
  profile: "aws:appconfig/configurationProfile:ConfigurationProfile",
  version: "aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion",
  strategy: "aws:appconfig/deploymentStrategy:DeploymentStrategy",
  deployment: "aws:appconfig/deployment:Deployment",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  role: "aws:iam/role:Role",
  policy: "aws:iam/rolePolicy:RolePolicy",
  topic: "aws:sns/topic:Topic",
};
export const FLAGS = JSON.stringify({ version: "1", flags: { "dark-mode": { name: "dark-mode" } }, values: { "dark-mode": { enabled: true } } });
export const TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "appconfig.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

/** The explicit provider's args as the Node SDK sends them: every non-string value JSON-encoded. */
export function providerArgs(endpoint: string, overrides: Props = {}): Props {
  const endpoints = Object.fromEntries(["appconfig", "cloudwatch", "iam", "sns", "sts"].map((s) => [s, endpoint]));
  return {
    region: REGION,
    assumeRoles: JSON.stringify([{ roleArn: ROLE, sessionName: "dcp-shop-beta" }]),
    endpoints: JSON.stringify([endpoint === "" ? {} : endpoints]),
    defaultTags: JSON.stringify({ tags: { workload: "shop", stage: "beta", "managed-by": "dcp" } }),
    skipCredentialsValidation: "false",
    skipRequestingAccountId: "false",
    version: "7.48.0",
    ...overrides,
  };
}

/** The AppConfig resources a test needs before it can deploy, declared as infra/ declares them. */
export function appConfigFixtures(api: ReturnType<typeof rpc>) {
  async function hostedFlags(name: string) {
    const app = await declare(api, T.app, name, { name, description: "managed by dcp", tags: { owner: "team-a" } });
    const profile = await declare(api, T.profile, "flags", {
      applicationId: app.id,
      name: "feature-flags",
      locationUri: "hosted",
      type: "AWS.AppConfig.FeatureFlags",
    });
    const version = await declare(api, T.version, "flags", {
      applicationId: app.id,
      configurationProfileId: profile.outputs.configurationProfileId ?? "",
      content: { [SIG_KEY]: SECRET_SIG, value: FLAGS },
      contentType: "application/json",
      description: "flags",
    });
    return { app, profile, version };
  }

  async function deployable(name: string, durationMinutes: number) {
    const { app, version } = await hostedFlags(name);
    const env = await declare(api, T.env, "beta", { applicationId: app.id, name: "beta" });
    const strategy = await declare(api, T.strategy, "strategy", {
      name: `${name}-strategy`,
      deploymentDurationInMinutes: durationMinutes,
      growthFactor: 100,
      finalBakeTimeInMinutes: 0,
      replicateTo: "NONE",
    });
    return { app, env, version, strategy };
  }

  return { hostedFlags, deployable };
}

export function alarmArgs(name: string): Props {
  return {
    name,
    namespace: "Shop",
    metricName: "Errors",
    statistic: "Sum",
    period: 60,
    evaluationPeriods: 1,
    threshold: 1,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
  };
}

export function deploymentArgs(app: { id: string }, env: { outputs: Props }, version: { inputs: Props; outputs: Props }, strategy: { id: string }): Props {
  return {
    applicationId: app.id,
    environmentId: env.outputs.environmentId ?? "",
    configurationProfileId: version.inputs.configurationProfileId ?? "",
    configurationVersion: String(version.outputs.versionNumber),
    deploymentStrategyId: strategy.id,
    description: "dcp release r1",
  };
}
