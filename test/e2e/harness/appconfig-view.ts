/**
 * What the local AWS holds for a workload, read through the same AppConfig API a person
 * would use in the console: how many hosted versions each profile has (a replaced
 * version is a new one; the old is retained) and which deployments each environment ran.
 */
import {
  AppConfigClient,
  ListApplicationsCommand,
  ListConfigurationProfilesCommand,
  ListDeploymentsCommand,
  ListEnvironmentsCommand,
  ListHostedConfigurationVersionsCommand,
} from "@aws-sdk/client-appconfig";

export interface DeploymentSeen {
  number: number;
  state: string;
  profile: string;
  version: string;
}

export class AppConfigView {
  constructor(private readonly endpoint: string) {}

  private client(region: string): AppConfigClient {
    return new AppConfigClient({ region, endpoint: this.endpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  }

  /**
   * The workload's application that holds the stage's environment: stages live in
   * accounts of their own, which the local AWS does not keep apart.
   */
  private async applicationId(region: string, workload: string, stage: string): Promise<string | undefined> {
    const client = this.client(region);
    const { Items } = await client.send(new ListApplicationsCommand({}));
    for (const app of Items?.filter((item) => item.Name === workload) ?? []) {
      const { Items: environments } = await client.send(new ListEnvironmentsCommand({ ApplicationId: app.Id }));
      if (environments?.some((env) => env.Name === stage)) return app.Id;
    }
    return undefined;
  }

  /** Profile name → number of hosted versions; empty when the workload has nothing there. */
  async versionCounts(region: string, workload: string, stage: string): Promise<Record<string, number>> {
    const client = this.client(region);
    const applicationId = await this.applicationId(region, workload, stage);
    if (applicationId === undefined) return {};
    const { Items: profiles } = await client.send(new ListConfigurationProfilesCommand({ ApplicationId: applicationId }));
    const counts: Record<string, number> = {};
    for (const profile of profiles ?? []) {
      const { Items } = await client.send(
        new ListHostedConfigurationVersionsCommand({ ApplicationId: applicationId, ConfigurationProfileId: profile.Id }),
      );
      counts[profile.Name ?? ""] = Items?.length ?? 0;
    }
    return counts;
  }

  /** The deployments of the workload's environment for a stage, oldest first. */
  async deployments(region: string, workload: string, stage: string): Promise<DeploymentSeen[]> {
    const client = this.client(region);
    const applicationId = await this.applicationId(region, workload, stage);
    if (applicationId === undefined) return [];
    const { Items: environments } = await client.send(new ListEnvironmentsCommand({ ApplicationId: applicationId }));
    const environment = environments?.find((env) => env.Name === stage);
    if (environment === undefined) return [];
    const { Items } = await client.send(new ListDeploymentsCommand({ ApplicationId: applicationId, EnvironmentId: environment.Id }));
    return (Items ?? [])
      .map((item) => ({
        number: item.DeploymentNumber ?? 0,
        state: item.State ?? "",
        profile: item.ConfigurationName ?? "",
        version: item.ConfigurationVersion ?? "",
      }))
      .sort((a, b) => a.number - b.number);
  }
}
