/**
 * Reads one stack's health from AWS: its CloudWatch alarms and its AppConfig deployments,
 * in the stage's account and region through the role sessions of role-sessions.ts, at the stage's
 * endpoint when it has one (LocalStack). The SDK is loaded on first use only.
 */
import type { Clock } from "../pipeline/ports";
import { asSetupProblem, isExpiredCredentials } from "./credentials";
import { RoleSessions, type RoleClients, type RoleTarget } from "./role-sessions";
import { retryThrottled } from "./throttling";

export interface FiringAlarm {
  name: string;
  reason: string;
}

export interface AlarmReading {
  firing: FiringAlarm[];
  /** Names asked for that CloudWatch does not know: the bake cannot see them. */
  missing: string[];
}

export interface DeploymentReading {
  state: string;
  /** Why AppConfig stopped or rolled back, when it says. */
  detail?: string;
}

export interface DeploymentRef {
  applicationId: string;
  environmentId: string;
  deploymentNumber: number;
}

/** Everything the bake reads from one stack; throws when AWS cannot be read. */
export interface StackProbe {
  alarms(names: string[], signal?: AbortSignal): Promise<AlarmReading>;
  deployment(ref: DeploymentRef, signal?: AbortSignal): Promise<DeploymentReading>;
}

/** DescribeAlarms takes at most 100 names per request. */
const ALARM_NAMES_PER_REQUEST = 100;

export class AwsProbes {
  private readonly sessions: RoleSessions;

  constructor(sessionName: string, private readonly clock: Clock) {
    this.sessions = new RoleSessions(sessionName);
  }

  async probeFor(target: RoleTarget): Promise<StackProbe> {
    const [cloudwatch, appconfig] = await Promise.all([import("@aws-sdk/client-cloudwatch"), import("@aws-sdk/client-appconfig")]);
    const commands = { DescribeAlarmsCommand: cloudwatch.DescribeAlarmsCommand, GetDeploymentCommand: appconfig.GetDeploymentCommand };
    return new AwsStackProbe(this.sessions, target, commands, this.clock);
  }
}

interface Commands {
  DescribeAlarmsCommand: typeof import("@aws-sdk/client-cloudwatch").DescribeAlarmsCommand;
  GetDeploymentCommand: typeof import("@aws-sdk/client-appconfig").GetDeploymentCommand;
}

class AwsStackProbe implements StackProbe {
  constructor(
    private readonly sessions: RoleSessions,
    private readonly target: RoleTarget,
    private readonly commands: Commands,
    private readonly clock: Clock,
  ) {}

  async alarms(names: string[], signal?: AbortSignal): Promise<AlarmReading> {
    const seen = new Set<string>();
    const firing: FiringAlarm[] = [];
    for (let start = 0; start < names.length; start += ALARM_NAMES_PER_REQUEST) {
      const batch = names.slice(start, start + ALARM_NAMES_PER_REQUEST);
      let nextToken: string | undefined;
      do {
        const page = await this.read(
          ({ cloudwatch }) =>
            cloudwatch.send(
              new this.commands.DescribeAlarmsCommand({ AlarmNames: batch, AlarmTypes: ["MetricAlarm", "CompositeAlarm"], NextToken: nextToken }),
              { abortSignal: signal },
            ),
          signal,
        );
        // Stryker disable next-line ArrayDeclaration: a stand-in entry for a page without alarms of a kind has no AlarmName and is skipped all the same
        for (const alarm of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) {
          if (!alarm.AlarmName) continue;
          seen.add(alarm.AlarmName);
          if (alarm.StateValue === "ALARM") firing.push({ name: alarm.AlarmName, reason: alarm.StateReason ?? "in ALARM" });
        }
        nextToken = page.NextToken;
      } while (nextToken);
    }
    return { firing, missing: names.filter((name) => !seen.has(name)) };
  }

  async deployment(ref: DeploymentRef, signal?: AbortSignal): Promise<DeploymentReading> {
    const deployment = await this.read(
      ({ appconfig }) =>
        appconfig.send(
          new this.commands.GetDeploymentCommand({
            ApplicationId: ref.applicationId,
            EnvironmentId: ref.environmentId,
            DeploymentNumber: ref.deploymentNumber,
          }),
          { abortSignal: signal },
        ),
      signal,
    );
    // The newest event says why AppConfig rolled back (e.g. which alarm it saw).
    const detail = deployment.EventLog?.find((event) => event.Description)?.Description;
    return { state: deployment.State ?? "UNKNOWN", ...(detail ? { detail } : {}) };
  }

  /**
   * One read, throttling retried; a session AWS calls expired is renewed (new clients, the
   * role assumed again) and the read tried once more. Credentials still missing or expired
   * after that are a SetupError.
   */
  private async read<T>(send: (clients: RoleClients) => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    try {
      const clients = await this.sessions.clientsFor(this.target);
      return await retryThrottled(() => send(clients), this.clock, signal);
    } catch (error) {
      if (!isExpiredCredentials(error)) throw asSetupProblem(error);
    }
    try {
      const clients = await this.sessions.renew(this.target);
      return await retryThrottled(() => send(clients), this.clock, signal);
    } catch (error) {
      throw asSetupProblem(error);
    }
  }
}
