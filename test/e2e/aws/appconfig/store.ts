// AppConfig's resources for one region. Ids look like AWS's (`[a-z0-9]{4,7}`, botocore
// model shape `Id`) so that callers validating them, like terraform-provider-aws, accept them.
import { randomInt } from "node:crypto";
import { notFound } from "./errors";

export const ACCOUNT = "123456789012"; // moto's default account, so ARNs agree across services

export interface Application {
  Id: string;
  Name: string;
  Description?: string;
}

export interface Monitor {
  AlarmArn: string;
  AlarmRoleArn?: string;
}

export type EnvironmentState = "READY_FOR_DEPLOYMENT" | "DEPLOYING" | "ROLLING_BACK" | "ROLLED_BACK" | "REVERTED";

export interface Served {
  readonly deploymentNumber: number;
  readonly content: Buffer;
  readonly contentType: string;
  readonly versionLabel?: string;
  readonly profileType: string;
}

export interface Environment {
  ApplicationId: string;
  Id: string;
  Name: string;
  Description?: string;
  State: EnvironmentState;
  Monitors: Monitor[];
  deployments: Deployment[];
  // What clients of each configuration profile get once no deployment is in flight.
  deployed: Map<string, Served>;
}

export interface Validator {
  Type: string;
  Content?: string;
}

export interface HostedVersion {
  VersionNumber: number;
  Description?: string;
  ContentType: string;
  VersionLabel?: string;
  Content: Buffer;
}

export interface Profile {
  ApplicationId: string;
  Id: string;
  Name: string;
  Description?: string;
  LocationUri: string;
  RetrievalRoleArn?: string;
  Validators: Validator[];
  Type: string;
  versions: HostedVersion[];
  latestVersion: number;
}

export interface Strategy {
  Id: string;
  Name: string;
  Description?: string;
  DeploymentDurationInMinutes: number;
  FinalBakeTimeInMinutes: number;
  GrowthFactor: number;
  GrowthType: "LINEAR" | "EXPONENTIAL";
  ReplicateTo: string;
}

export type DeploymentState = "DEPLOYING" | "BAKING" | "COMPLETE" | "ROLLED_BACK" | "REVERTED";

export interface DeploymentEvent {
  EventType: string;
  TriggeredBy: "USER" | "APPCONFIG" | "CLOUDWATCH_ALARM" | "INTERNAL_ERROR";
  Description: string;
  OccurredAt: string;
}

export interface Deployment {
  readonly ApplicationId: string;
  readonly EnvironmentId: string;
  readonly DeploymentNumber: number;
  readonly ConfigurationProfileId: string;
  readonly ConfigurationName: string;
  readonly ConfigurationLocationUri: string;
  readonly ConfigurationVersion: string;
  readonly VersionLabel?: string;
  readonly Description?: string;
  readonly strategy: Strategy;
  State: DeploymentState;
  PercentageComplete: number;
  readonly startedMs: number;
  completedMs?: number;
  // Newest first, as GetDeployment returns them (model doc of Deployment.EventLog).
  readonly EventLog: DeploymentEvent[];
  readonly target: Served;
  readonly previous?: Served;
}

export class RegionState {
  readonly applications = new Map<string, Application>();
  readonly environments = new Map<string, Environment>();
  readonly profiles = new Map<string, Profile>();
  readonly strategies = new Map<string, Strategy>();
  readonly tags = new Map<string, Record<string, string>>();

  constructor(readonly region: string) {}

  newId(): string {
    const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    for (;;) {
      const id = Array.from({ length: 7 }, () => alphabet[randomInt(alphabet.length)]).join("");
      if (![this.applications, this.environments, this.profiles, this.strategies].some((m) => m.has(id))) return id;
    }
  }

  arn(resource: string): string {
    return `arn:aws:appconfig:${this.region}:${ACCOUNT}:${resource}`;
  }

  application(id: string): Application {
    const found = this.applications.get(id);
    if (!found) throw notFound(`Application ${id} not found`, id);
    return found;
  }

  environment(applicationId: string, id: string): Environment {
    this.application(applicationId);
    const found = this.environments.get(id);
    if (!found || found.ApplicationId !== applicationId) throw notFound(`Environment ${id} not found`, id);
    return found;
  }

  profile(applicationId: string, id: string): Profile {
    this.application(applicationId);
    const found = this.profiles.get(id);
    if (!found || found.ApplicationId !== applicationId) throw notFound(`ConfigurationProfile ${id} not found`, id);
    return found;
  }

  strategy(id: string): Strategy {
    const found = this.strategies.get(id);
    if (!found) throw notFound(`DeploymentStrategy ${id} not found`, id);
    return found;
  }

  // Forgets the tags of a deleted resource and of everything under it.
  dropTags(arn: string): void {
    for (const key of this.tags.keys()) if (key === arn || key.startsWith(`${arn}/`)) this.tags.delete(key);
  }
}
