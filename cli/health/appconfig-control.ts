/**
 * The DeploymentControl adapter: reads, stops and cleans up in AppConfig through the AWS
 * SDK v3, with the stage's deploy role, as the bake reads. The SDK is loaded on first use.
 */
import type { AppConfigClient } from "@aws-sdk/client-appconfig";
import type { Envs } from "../config/model";
import { systemClock } from "../pipeline/clock";
import type { Clock, DeploymentControl, DeploymentStatus, WatchTarget } from "../pipeline/ports";
import { RoleSessions } from "./role-sessions";
import { retryThrottled } from "./throttling";

/** StopDeployment acts on these (with AllowRevert; without it, on DEPLOYING only: API reference, StopDeployment). */
const IN_PROGRESS = new Set(["DEPLOYING", "BAKING"]);

/** The AppConfig client for a stack: with the stage's role by default; tests hand in their own. */
export type AppConfigFor = (target: WatchTarget) => Promise<Pick<AppConfigClient, "send">>;

export function createDeploymentControl(envs: Envs, options: { clock?: Clock; client?: AppConfigFor } = {}): DeploymentControl {
  const clock = options.clock ?? systemClock;
  const client = options.client ?? stageRoleClients(envs);
  const sdk = () => import("@aws-sdk/client-appconfig");
  const ids = (target: WatchTarget) => ({ ApplicationId: target.outputs.applicationId, EnvironmentId: target.outputs.environmentId });

  return {
    async status(target, deploymentNumber, signal): Promise<DeploymentStatus> {
      const [appconfig, { GetDeploymentCommand }] = await Promise.all([client(target), sdk()]);
      const found = await retryThrottled(
        () => appconfig.send(new GetDeploymentCommand({ ...ids(target), DeploymentNumber: deploymentNumber }), { abortSignal: signal }),
        clock,
        signal,
      );
      const detail = found.EventLog?.find((event) => event.Description)?.Description;
      return { state: found.State ?? "UNKNOWN", ...(detail ? { detail } : {}) };
    },

    // The environment's own list, not the stack's outputs: a failed update never registers the deployment it started.
    async stopInProgress(target) {
      const [appconfig, { ListDeploymentsCommand, StopDeploymentCommand }] = await Promise.all([client(target), sdk()]);
      const listed = await retryThrottled(() => appconfig.send(new ListDeploymentsCommand({ ...ids(target), MaxResults: 5 })), clock);
      // Stryker disable next-line StringLiteral: no deployment state is named anything but AppConfig's states, so any stand-in for a missing one is not in progress
      const running = listed.Items?.find((item) => IN_PROGRESS.has(item.State ?? ""));
      if (running?.DeploymentNumber === undefined) return undefined;
      // AllowRevert: without it AppConfig stops only a DEPLOYING deployment, not one in its final bake.
      await retryThrottled(
        () => appconfig.send(new StopDeploymentCommand({ ...ids(target), DeploymentNumber: running.DeploymentNumber, AllowRevert: true })),
        clock,
      );
      return running.DeploymentNumber;
    },

    async deleteHostedVersions(target, profileIds) {
      const [appconfig, { ListHostedConfigurationVersionsCommand, DeleteHostedConfigurationVersionCommand }] = await Promise.all([
        client(target),
        sdk(),
      ]);
      for (const profileId of profileIds) {
        const profile = { ApplicationId: target.outputs.applicationId, ConfigurationProfileId: profileId };
        const versions: number[] = [];
        let NextToken: string | undefined;
        do {
          const page = await retryThrottled(() => appconfig.send(new ListHostedConfigurationVersionsCommand({ ...profile, NextToken })), clock);
          // Stryker disable next-line ArrayDeclaration: a stand-in item for a page without Items has no VersionNumber and is skipped all the same
          for (const item of page.Items ?? []) if (item.VersionNumber !== undefined) versions.push(item.VersionNumber);
          NextToken = page.NextToken;
        } while (NextToken);
        for (const VersionNumber of versions) {
          await retryThrottled(() => appconfig.send(new DeleteHostedConfigurationVersionCommand({ ...profile, VersionNumber })), clock);
        }
      }
    },
  };
}

function stageRoleClients(envs: Envs): AppConfigFor {
  const sessions = new RoleSessions(`dcp-${envs.pipeline.workload}-deploy`);
  const endpoints = new Map(envs.stages.map((stage) => [stage.name, stage.definition.endpoint]));
  return (target) => {
    const endpoint = target.config.endpoint ?? endpoints.get(target.stack.stage);
    return sessions.clientsFor({ region: target.stack.region, role: target.config.role, ...(endpoint ? { endpoint } : {}) }).then((clients) => clients.appconfig);
  };
}
