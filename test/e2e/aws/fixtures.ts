// Shared set-up for the e2e specs: one local AWS per spec file, SDK v3 clients pointed at
// it, and small builders for the AppConfig resources most specs need.
import {
  AppConfigClient,
  CreateApplicationCommand,
  CreateConfigurationProfileCommand,
  CreateDeploymentStrategyCommand,
  CreateEnvironmentCommand,
  CreateHostedConfigurationVersionCommand,
  GetDeploymentCommand,
  type CreateEnvironmentCommandInput,
  type GetDeploymentCommandOutput,
  type Validator,
} from "@aws-sdk/client-appconfig";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { startLocalAws, type LocalAws } from "./local-aws";

export const REGION = "eu-west-1";

export interface Harness {
  aws: LocalAws;
  appconfig: AppConfigClient;
  cloudwatch: CloudWatchClient;
}

// Registers before/after hooks; the returned object is filled in once `before` has run.
export function useLocalAws(minuteMs: number): Harness {
  const harness = {} as Harness;
  before(async function () {
    this.timeout(300_000); // the first run on a machine builds moto's virtualenv
    harness.aws = await startLocalAws({ minuteMs });
    const config = { endpoint: harness.aws.endpoint, region: REGION, credentials: { accessKeyId: "test", secretAccessKey: "test" } };
    harness.appconfig = new AppConfigClient(config);
    harness.cloudwatch = new CloudWatchClient(config);
  });
  after(async () => {
    harness.appconfig?.destroy();
    harness.cloudwatch?.destroy();
    await harness.aws?.stop();
  });
  return harness;
}

export interface Hosted {
  applicationId: string;
  environmentId: string;
  profileId: string;
}

export async function hostedProfile(
  client: AppConfigClient,
  options: { type?: string; validators?: Validator[]; monitors?: CreateEnvironmentCommandInput["Monitors"] } = {},
): Promise<Hosted> {
  const app = await client.send(new CreateApplicationCommand({ Name: `app-${Date.now()}` }));
  const env = await client.send(new CreateEnvironmentCommand({ ApplicationId: app.Id, Name: "beta", Monitors: options.monitors }));
  const profile = await client.send(
    new CreateConfigurationProfileCommand({
      ApplicationId: app.Id,
      Name: "settings",
      LocationUri: "hosted",
      Type: options.type ?? "AWS.Freeform",
      Validators: options.validators,
    }),
  );
  return { applicationId: app.Id ?? "", environmentId: env.Id ?? "", profileId: profile.Id ?? "" };
}

export async function hostVersion(client: AppConfigClient, hosted: Hosted, content: unknown, label?: string): Promise<string> {
  const created = await client.send(
    new CreateHostedConfigurationVersionCommand({
      ApplicationId: hosted.applicationId,
      ConfigurationProfileId: hosted.profileId,
      ContentType: "application/json",
      Content: Buffer.from(JSON.stringify(content)),
      VersionLabel: label,
    }),
  );
  return String(created.VersionNumber);
}

export async function strategy(client: AppConfigClient, durationMinutes: number, bakeMinutes: number, growthFactor = 50): Promise<string> {
  const created = await client.send(
    new CreateDeploymentStrategyCommand({
      Name: `s-${durationMinutes}-${bakeMinutes}`,
      DeploymentDurationInMinutes: durationMinutes,
      FinalBakeTimeInMinutes: bakeMinutes,
      GrowthFactor: growthFactor,
    }),
  );
  return created.Id ?? "";
}

// Polls GetDeployment until `done` holds; generous deadline, since only ordering matters.
export async function waitForDeployment(
  client: AppConfigClient,
  hosted: Hosted,
  number: number,
  done: (d: GetDeploymentCommandOutput) => boolean,
  timeoutMs = 20_000,
): Promise<GetDeploymentCommandOutput> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const deployment = await client.send(
      new GetDeploymentCommand({ ApplicationId: hosted.applicationId, EnvironmentId: hosted.environmentId, DeploymentNumber: number }),
    );
    if (done(deployment) || Date.now() > deadline) return deployment;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function rejection(promise: Promise<unknown>): Promise<Error & { name: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the call to be refused");
}
