// Environment monitors: while a deployment is DEPLOYING or BAKING, AppConfig watches the
// environment's CloudWatch alarms and rolls the deployment back when one is in ALARM
// (User Guide, "Monitoring deployments for automatic rollback"). Alarms are read from
// CloudWatch (moto) with DescribeAlarms, in the account of the monitor's AlarmRoleArn,
// which is assumed first, as AppConfig does.
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { Accounts } from "../accounts";
import type { Context } from "./context";
import { inProgress } from "./lifecycle";
import type { Environment } from "./store";

interface AlarmRef {
  readonly region: string;
  readonly name: string;
}

// arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME (the name may itself contain colons).
function parseAlarmArn(arn: string): AlarmRef | undefined {
  const parts = arn.split(":");
  if (parts.length < 7 || parts[2] !== "cloudwatch" || parts[5] !== "alarm") return undefined;
  return { region: parts[3] ?? "", name: parts.slice(6).join(":") };
}

export class AlarmWatcher {
  private readonly clients = new Map<string, CloudWatchClient>();
  private readonly accounts: Accounts;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    private readonly ctx: Context,
    private readonly cloudWatchEndpoint: string,
    private readonly intervalMs: number,
  ) {
    this.accounts = new Accounts(cloudWatchEndpoint);
  }

  start(): void {
    this.timer = setInterval(() => void this.pollOnce(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    for (const client of this.clients.values()) client.destroy();
  }

  private client(region: string, roleArn: string): CloudWatchClient {
    const key = `${region}|${roleArn}`;
    let client = this.clients.get(key);
    if (!client) {
      const credentials = () => this.accounts.credentials(roleArn);
      client = new CloudWatchClient({ region, endpoint: this.cloudWatchEndpoint, credentials });
      this.clients.set(key, client);
    }
    return client;
  }

  // Skips a tick rather than overlapping polls when moto is slow.
  async pollOnce(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      for (const state of this.ctx.regions.all()) {
        for (const environment of state.environments.values()) await this.check(environment);
      }
    } finally {
      this.polling = false;
    }
  }

  private async check(environment: Environment): Promise<void> {
    this.ctx.lifecycle.advance(environment, this.ctx.now());
    if (!inProgress(environment) || environment.Monitors.length === 0) return;
    const byReader = new Map<string, { region: string; roleArn: string; names: string[] }>();
    for (const monitor of environment.Monitors) {
      const ref = parseAlarmArn(monitor.AlarmArn);
      if (!ref) continue;
      const roleArn = monitor.AlarmRoleArn ?? "";
      const key = `${ref.region}|${roleArn}`;
      const reader = byReader.get(key) ?? { region: ref.region, roleArn, names: [] };
      reader.names.push(ref.name);
      byReader.set(key, reader);
    }
    for (const { region, roleArn, names } of byReader.values()) {
      let alarming: string | undefined;
      try {
        const answer = await this.client(region, roleArn).send(new DescribeAlarmsCommand({ AlarmNames: names }));
        alarming = answer.MetricAlarms?.find((a) => a.StateValue === "ALARM")?.AlarmName;
      } catch {
        continue; // moto unreachable for a moment: try again next tick, as AppConfig would
      }
      const deployment = inProgress(environment);
      if (alarming && deployment) {
        this.ctx.lifecycle.rollBack(environment, deployment, "CLOUDWATCH_ALARM", `Alarm ${alarming} is in ALARM`, this.ctx.now());
        return;
      }
    }
  }
}
