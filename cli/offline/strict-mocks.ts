import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { COMPONENT_TYPES } from "../../infra/component-types";

type MockArgs = pulumi.runtime.MockResourceArgs;
type Inputs = Record<string, unknown>;

/** Where the mocked resources live: their ARNs are built from it. */
export interface MockedAccount {
  account: string;
  region: string;
}

type StateOf = (args: MockArgs, ids: MockIds) => { id: string; state: Inputs };

interface MockIds {
  /** A stable AppConfig-style id ([a-z0-9]{7}) for a resource name. */
  shortId(name: string): string;
  arn(service: string, resource: string, options?: { global?: boolean }): string;
  /** AppConfig numbers deployments per environment, from 1. */
  nextDeploymentNumber(environmentId: string): number;
}

const STATES: Record<string, StateOf> = {
  "pulumi:providers:aws": ({ name }) => ({ id: `${name}-provider`, state: {} }),
  "aws:appconfig/application:Application": ({ name }, ids) => {
    const id = ids.shortId(name);
    return { id, state: { arn: ids.arn("appconfig", `application/${id}`) } };
  },
  "aws:appconfig/environment:Environment": ({ name, inputs }, ids) => {
    const environmentId = ids.shortId(name);
    const arn = ids.arn("appconfig", `application/${String(inputs.applicationId)}/environment/${environmentId}`);
    return { id: `${environmentId}:${String(inputs.applicationId)}`, state: { environmentId, arn, state: "ReadyForDeployment" } };
  },
  "aws:appconfig/configurationProfile:ConfigurationProfile": ({ name, inputs }, ids) => {
    const configurationProfileId = ids.shortId(name);
    const arn = ids.arn("appconfig", `application/${String(inputs.applicationId)}/configurationprofile/${configurationProfileId}`);
    return { id: `${configurationProfileId}:${String(inputs.applicationId)}`, state: { configurationProfileId, arn } };
  },
  "aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion": ({ inputs }, ids) => {
    const path = `${String(inputs.applicationId)}/${String(inputs.configurationProfileId)}`;
    const arn = ids.arn("appconfig", `application/${String(inputs.applicationId)}/configurationprofile/${String(inputs.configurationProfileId)}/hostedconfigurationversion/1`);
    return { id: `${path}/1`, state: { versionNumber: 1, arn } };
  },
  "aws:appconfig/deploymentStrategy:DeploymentStrategy": ({ name }, ids) => {
    const id = ids.shortId(name);
    return { id, state: { arn: ids.arn("appconfig", `deploymentstrategy/${id}`) } };
  },
  "aws:appconfig/deployment:Deployment": ({ inputs }, ids) => {
    const environmentId = String(inputs.environmentId);
    const deploymentNumber = ids.nextDeploymentNumber(environmentId);
    const path = `${String(inputs.applicationId)}/${environmentId}/${deploymentNumber}`;
    const arn = ids.arn("appconfig", `application/${String(inputs.applicationId)}/environment/${environmentId}/deployment/${deploymentNumber}`);
    return { id: path, state: { deploymentNumber, arn, state: "DEPLOYING" } };
  },
  "aws:cloudwatch/metricAlarm:MetricAlarm": ({ inputs }, ids) => {
    const name = required(inputs, "name");
    return { id: name, state: { arn: ids.arn("cloudwatch", `alarm:${name}`) } };
  },
  "aws:sns/topic:Topic": ({ inputs }, ids) => {
    const arn = ids.arn("sns", required(inputs, "name"));
    return { id: arn, state: { arn } };
  },
  "aws:iam/role:Role": ({ inputs }, ids) => {
    const name = required(inputs, "name");
    return { id: name, state: { arn: ids.arn("iam", `role/${name}`, { global: true }), uniqueId: `AROA${ids.shortId(name).toUpperCase()}` } };
  },
  "aws:iam/rolePolicy:RolePolicy": ({ inputs }) => ({
    id: `${String(inputs.role)}:${required(inputs, "name")}`,
    state: {},
  }),
};

const COMPONENTS = new Set<string>(Object.values(COMPONENT_TYPES));

/**
 * Mocks that know every resource type the program declares and nothing else: an
 * unknown type or any provider call throws, so a typo in a type token or an
 * unplanned data source cannot pass silently. Known resources echo their inputs plus
 * the ids and ARNs AWS would give them, derived from their names so runs are repeatable.
 */
export class StrictMocks implements pulumi.runtime.Mocks {
  private readonly deploymentNumbers = new Map<string, number>();
  private readonly ids: MockIds;

  constructor(where: MockedAccount) {
    this.ids = {
      shortId: (name) => createHash("sha256").update(`${where.account}/${where.region}/${name}`).digest("hex").slice(0, 7),
      arn: (service, resource, options) =>
        `arn:aws:${service}:${options?.global ? "" : where.region}:${where.account}:${resource}`,
      nextDeploymentNumber: (environmentId) => {
        const next = (this.deploymentNumbers.get(environmentId) ?? 0) + 1;
        this.deploymentNumbers.set(environmentId, next);
        return next;
      },
    };
  }

  newResource(args: MockArgs): pulumi.runtime.MockResourceResult {
    if (COMPONENTS.has(args.type)) return { id: undefined, state: {} };
    const stateOf = STATES[args.type];
    if (stateOf === undefined) {
      throw new StrictMockError(`no mock for resource type ${args.type} (${args.name}); add one to cli/offline/strict-mocks.ts`);
    }
    const { id, state } = stateOf(args, this.ids);
    return { id, state: { ...args.inputs, ...state } };
  }

  call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
    throw new StrictMockError(`the program calls ${args.token}, which has no mock; the program is meant to make no calls`);
  }
}

/** Pulumi reports a failed call by the gRPC error's `details` alone, so the message goes there too. */
class StrictMockError extends Error {
  readonly details: string;

  constructor(message: string) {
    super(`strict mocks: ${message}`);
    this.details = this.message;
  }
}

function required(inputs: Inputs, key: string): string {
  const value = inputs[key];
  if (typeof value !== "string") throw new StrictMockError(`expected input ${key} to be set, got ${String(value)}`);
  return value;
}
