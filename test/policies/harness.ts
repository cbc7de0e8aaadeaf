import type { Policy } from "@pulumi/policy";
import { evaluatePolicies, type EvaluatedResource } from "../../cli/offline/evaluate";

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
 * The messages `policy` reports on `resource` under `config`, through the same
 * argument building as offline evaluation (config defaults, provider, isType) and
 * no engine.
 */
export async function violationsOf(policy: Policy, resource: ResourceUnderTest, config: Record<string, unknown> = {}): Promise<string[]> {
  const recorded: EvaluatedResource = {
    type: resource.type,
    name: resource.name,
    urn: `urn:pulumi:${STACK}::storefront::${resource.type}::${resource.name}`,
    inputs: resource.props,
    ...(resource.providerProps !== undefined && { provider: `${PROVIDER_URN}::provider-id` }),
  };
  const provider: EvaluatedResource = { type: "pulumi:providers:aws", name: "stage", urn: PROVIDER_URN, inputs: resource.providerProps ?? {} };
  const violations = await evaluatePolicies(
    { stack: STACK, resources: [{ ...recorded, dependsOn: [] }], outputs: {} },
    { [policy.name]: config },
    { policies: [policy], providers: [provider] },
  );
  return violations.map((violation) => violation.message);
}

/** A deep copy to change one property of a happy path without touching the next test's. */
export function copy<T>(value: T): T {
  return structuredClone(value);
}
