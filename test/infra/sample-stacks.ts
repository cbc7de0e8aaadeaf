import type { ResolvedStack } from "../../cli/config/model";
import { resolveStacks } from "../../cli/config/resolve";
import { recordStack } from "../../cli/offline/record-stack";
import type { RecordedResource, RecordedStack } from "../../cli/offline/recorded-resource";
import type { StackConfig } from "../../infra/stack-config";
import { sampleEnvsOf } from "../support/sample-envs";

/** The stacks the infra suite checks: the first stage, a production-like one, and the prod canary. */
export const CHECKED_STACKS = ["beta-us-west-2", "gamma-us-east-1", "prod-us-east-1"] as const;

let sample: Promise<ResolvedStack[]> | undefined;

/** Every stack of the sample envs/, resolved by dcp's own loader. */
export function sampleStacks(): Promise<ResolvedStack[]> {
  sample ??= sampleEnvsOf().then((envs) => resolveStacks(envs));
  return sample;
}

export async function sampleStack(name: string): Promise<ResolvedStack> {
  const stack = (await sampleStacks()).find((candidate) => candidate.name === name);
  if (stack === undefined) throw new Error(`the sample has no stack ${name}`);
  return stack;
}

/** A deep copy, so that a test may change a StackConfig without touching the others'. */
export async function sampleConfig(name: string): Promise<StackConfig> {
  return structuredClone((await sampleStack(name)).config);
}

const recorded = new Map<string, Promise<RecordedStack>>();

/** The sample stack as the program declares it under strict mocks, recorded once per test run. */
export function recordedSample(name: string): Promise<RecordedStack> {
  let record = recorded.get(name);
  if (record === undefined) {
    record = sampleStack(name).then((stack) => recordStack(stack.config, stack.name));
    recorded.set(name, record);
  }
  return record;
}

export function resourcesOfType(stack: RecordedStack, type: string): RecordedResource[] {
  return stack.resources.filter((resource) => resource.type === type);
}

export function onlyResourceOfType(stack: RecordedStack, type: string): RecordedResource {
  const [only, ...others] = resourcesOfType(stack, type);
  if (only === undefined || others.length > 0) throw new Error(`expected exactly one ${type} in ${stack.stack}`);
  return only;
}

export const TYPES = {
  provider: "pulumi:providers:aws",
  application: "aws:appconfig/application:Application",
  environment: "aws:appconfig/environment:Environment",
  profile: "aws:appconfig/configurationProfile:ConfigurationProfile",
  hostedVersion: "aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion",
  strategy: "aws:appconfig/deploymentStrategy:DeploymentStrategy",
  deployment: "aws:appconfig/deployment:Deployment",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  topic: "aws:sns/topic:Topic",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
} as const;
