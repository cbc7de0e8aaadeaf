/**
 * Reads one stack's health from AWS: its CloudWatch alarms and its AppConfig deployments,
 * in the stage's account (through the stage's deploy role) and region, at the stage's
 * endpoint when it has one (LocalStack). The SDK is loaded on first use only.
 */
import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { AppConfigClient } from "@aws-sdk/client-appconfig";
import type { Clock } from "../pipeline/ports";
import { asSetupProblem, isExpiredCredentials } from "./credentials";
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

export interface ProbeTarget {
  region: string;
  role: string;
  endpoint?: string;
}

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date };

/** DescribeAlarms takes at most 100 names per request. */
const ALARM_NAMES_PER_REQUEST = 100;
/** Assumed-role credentials are renewed this long before they expire. */
const RENEW_BEFORE_MS = 5 * 60_000;

export class AwsProbes {
  private readonly probes = new Map<string, Promise<StackProbe>>();

  constructor(
    private readonly sessionName: string,
    private readonly clock: Clock,
  ) {}

  probeFor(target: ProbeTarget): Promise<StackProbe> {
    const key = `${target.region}|${target.role}|${target.endpoint ?? ""}`;
    let probe = this.probes.get(key);
    if (!probe) {
      probe = this.create(target);
      probe.catch(() => this.probes.delete(key));
      this.probes.set(key, probe);
    }
    return probe;
  }

  private async create(target: ProbeTarget): Promise<StackProbe> {
    const [cloudwatch, appconfig, sts] = await Promise.all([
      import("@aws-sdk/client-cloudwatch"),
      import("@aws-sdk/client-appconfig"),
      import("@aws-sdk/client-sts"),
    ]);
    const endpoint = target.endpoint ? { endpoint: target.endpoint } : {};
    const connect = (): Clients => {
      // The caller's own credentials (a fresh default chain: it reads the environment, a web identity
      // token file or SSO again) only serve to assume the stage's role.
      const stsClient = new sts.STSClient({ region: target.region, ...endpoint });
      const credentials = memoize(async (): Promise<Credentials> => {
        const { Credentials: issued } = await stsClient.send(
          new sts.AssumeRoleCommand({ RoleArn: target.role, RoleSessionName: this.sessionName }),
        );
        if (!issued?.AccessKeyId || !issued.SecretAccessKey) throw new Error(`assuming ${target.role} returned no credentials`);
        return {
          accessKeyId: issued.AccessKeyId,
          secretAccessKey: issued.SecretAccessKey,
          ...(issued.SessionToken ? { sessionToken: issued.SessionToken } : {}),
          ...(issued.Expiration ? { expiration: issued.Expiration } : {}),
        };
      });
      // One attempt per request: throttling is retried on the injected clock, anything else is judged by the grace period.
      const config = { region: target.region, credentials, maxAttempts: 1, ...endpoint };
      return { cloudwatch: new cloudwatch.CloudWatchClient(config), appconfig: new appconfig.AppConfigClient(config) };
    };
    return new AwsStackProbe(
      connect,
      { DescribeAlarmsCommand: cloudwatch.DescribeAlarmsCommand, GetDeploymentCommand: appconfig.GetDeploymentCommand },
      this.clock,
    );
  }
}

interface Clients {
  cloudwatch: CloudWatchClient;
  appconfig: AppConfigClient;
}

interface Commands {
  DescribeAlarmsCommand: typeof import("@aws-sdk/client-cloudwatch").DescribeAlarmsCommand;
  GetDeploymentCommand: typeof import("@aws-sdk/client-appconfig").GetDeploymentCommand;
}

class AwsStackProbe implements StackProbe {
  private clients: Clients;

  constructor(
    /** New clients with new credentials: called again when AWS says the session expired. */
    private readonly connect: () => Clients,
    private readonly commands: Commands,
    private readonly clock: Clock,
  ) {
    this.clients = connect();
  }

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
  private async read<T>(send: (clients: Clients) => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    try {
      return await retryThrottled(() => send(this.clients), this.clock, signal);
    } catch (error) {
      if (!isExpiredCredentials(error)) throw asSetupProblem(error);
    }
    this.clients = this.connect();
    try {
      return await retryThrottled(() => send(this.clients), this.clock, signal);
    } catch (error) {
      throw asSetupProblem(error);
    }
  }
}

/** One call in flight at a time; the result is reused until it is about to expire. */
function memoize(fetch: () => Promise<Credentials>): () => Promise<Credentials> {
  let current: Promise<Credentials> | undefined;
  return async () => {
    const held = current && (await current.catch(() => undefined));
    if (held && (!held.expiration || held.expiration.getTime() - Date.now() > RENEW_BEFORE_MS)) return held;
    current = fetch();
    return current;
  };
}
