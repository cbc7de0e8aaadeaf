import { unknownCheckingProxy, type Policy, type ResourceValidationArgs, type ResourceValidationPolicy } from "@pulumi/policy";

/** One resource as a policy test declares it: what the program would have passed. */
export interface ResourceUnderTest {
  type: string;
  name: string;
  props: Record<string, unknown>;
  /** The provider's inputs, for policies that read provider defaults (default tags). */
  providerProps?: Record<string, unknown>;
}

const STACK = "prod-us-east-1";
const PROVIDER_URN = `urn:pulumi:${STACK}::storefront::pulumi:providers:aws::stage`;

/**
 * What a preview passes for a value the cloud assigns at update time (a resource not created
 * yet): @pulumi/policy's proxy.js `unknownStringValue`, which reading through the props
 * proxy turns into an UnknownValueError.
 */
export const UNKNOWN_AT_PREVIEW = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

class NotApplicable extends Error {}

/**
 * The messages `policy` reports on `resource` when its `validateResource` is called
 * directly, as awsguard's tests do: `getConfig` hands over exactly `config`, without the
 * schema defaults the Pulumi CLI (or dcp's offline evaluator) might fill in, so each
 * policy's own config handling is what is tested. test/offline covers the evaluator.
 * Props reach the policy behind `unknownCheckingProxy`, as the policy server
 * (@pulumi/policy server.js) hands them over.
 */
export async function violationsOf(policy: Policy, resource: ResourceUnderTest, config: Record<string, unknown> = {}): Promise<string[]> {
  const validations = [(policy as ResourceValidationPolicy).validateResource ?? []].flat();
  if (validations.length === 0) throw new Error(`${policy.name} validates no resource`);
  const isType = (resourceClass: unknown) => (resourceClass as { __pulumiType?: string }).__pulumiType === resource.type;
  const args: ResourceValidationArgs = {
    type: resource.type,
    props: unknownCheckingProxy(resource.props),
    urn: `urn:pulumi:${STACK}::storefront::${resource.type}::${resource.name}`,
    name: resource.name,
    opts: {
      protect: false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
    },
    stackTags: new Map(),
    isType,
    asType: ((resourceClass: unknown) => (isType(resourceClass) ? resource.props : undefined)) as ResourceValidationArgs["asType"],
    getConfig: <T extends object>() => structuredClone(config) as T,
    notApplicable: (reason?: string) => {
      throw new NotApplicable(reason);
    },
    ...(resource.providerProps !== undefined && {
      provider: { type: "pulumi:providers:aws", props: unknownCheckingProxy(resource.providerProps), urn: PROVIDER_URN, name: "stage" },
    }),
  };
  const messages: string[] = [];
  for (const validate of validations) {
    try {
      await validate(args, (message) => messages.push(message));
    } catch (error) {
      if (!(error instanceof NotApplicable)) throw error;
    }
  }
  return messages;
}

/** A deep copy to change one property of a happy path without touching the next test's. */
export function copy<T>(value: T): T {
  return structuredClone(value);
}
