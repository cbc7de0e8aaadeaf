import * as pulumi from "@pulumi/pulumi";
import { Environment } from "@pulumi/aws/appconfig";
import { Role, RolePolicy } from "@pulumi/aws/iam";
import { COMPONENT_TYPES } from "../component-types";

/** AppConfig's CreateEnvironment accepts at most 5 monitors. */
export const MAX_MONITORS = 5;

export interface MonitoredEnvironmentArgs {
  applicationId: pulumi.Input<string>;
  /** The stage: an environment per stage in each region's application. */
  name: string;
  account: string;
  /** IAM role names are global to the account, which every region of a stage shares. */
  monitoringRoleName: string;
  /** The deploy role may create a role only with this boundary: what the role can ever do, whatever its policies say. */
  permissionsBoundary: string;
  /** The alarms AppConfig watches during every deployment, rolling it back when one fires. */
  alarmArns: pulumi.Output<string>[];
}

/**
 * The AppConfig environment of a stage, with its alarms as monitors and the role
 * AppConfig assumes to read them, allowed to do nothing else.
 */
export class MonitoredEnvironment extends pulumi.ComponentResource {
  readonly environmentId: pulumi.Output<string>;

  constructor(name: string, args: MonitoredEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super(COMPONENT_TYPES.environment, name, {}, opts);
    if (args.alarmArns.length > MAX_MONITORS) {
      throw new Error(
        `stage ${args.name} has ${args.alarmArns.length} alarms, but an AppConfig environment can watch at most ${MAX_MONITORS}`,
      );
    }
    const monitoring = args.alarmArns.length === 0 ? undefined : this.monitoringRole(args);
    const environment = new Environment(
      "environment",
      {
        applicationId: args.applicationId,
        name: args.name,
        description: `${args.name}: deployments roll back when one of its alarms fires`,
        monitors: monitoring?.monitors ?? [],
      },
      // AppConfig reads the alarms as soon as a deployment starts: the role must be able to by then.
      { parent: this, dependsOn: monitoring ? [monitoring.policy] : [] },
    );
    this.environmentId = environment.environmentId;
    this.registerOutputs({ environmentId: this.environmentId });
  }

  private monitoringRole(args: MonitoredEnvironmentArgs) {
    const role = new Role(
      "monitoring",
      {
        name: args.monitoringRoleName,
        description: "Lets AppConfig read the state of the alarms it watches during deployments",
        assumeRolePolicy: JSON.stringify(appConfigTrustPolicy(args.account)),
        permissionsBoundary: args.permissionsBoundary,
      },
      { parent: this },
    );
    const policy = new RolePolicy(
      "describe-alarms",
      {
        role: role.name,
        name: "describe-stage-alarms",
        policy: pulumi.all(args.alarmArns).apply((arns) => JSON.stringify(describeAlarmsPolicy(arns))),
      },
      { parent: this },
    );
    const monitors = pulumi
      .all([pulumi.all(args.alarmArns), role.arn])
      .apply(([arns, roleArn]) => arns.map((alarmArn) => ({ alarmArn, alarmRoleArn: roleArn })));
    return { monitors, policy };
  }
}

/** Only AppConfig, and only on behalf of this account (no confused deputy). */
export function appConfigTrustPolicy(account: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "appconfig.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": account } },
      },
    ],
  };
}

export function describeAlarmsPolicy(alarmArns: string[]) {
  return {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: ["cloudwatch:DescribeAlarms"], Resource: alarmArns }],
  };
}
