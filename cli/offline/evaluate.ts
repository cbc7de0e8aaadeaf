/**
 * The policy pack, evaluated without an engine: every policy is called on the resources
 * the program declared under mocks, with the arguments the Pulumi analyzer would build
 * (config, enforcement from config, the resource's provider), so
 * `dcp validate` reports what a preview with the pack would, in milliseconds.
 */
import type {
  EnforcementLevel,
  Policies,
  Policy,
  PolicyProviderResource,
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { PACK_ENFORCEMENT, POLICIES } from "../../policies/pack";
import type { PolicyPackConfig, PolicyViolation } from "../pipeline/ports";
import type { RecordedResource, RecordedStack } from "./recorded-resource";

/** A resource as a policy sees it; RecordedResource is one. */
export type EvaluatedResource = Pick<RecordedResource, "type" | "name" | "urn" | "inputs" | "provider" | "parent"> & {
  dependsOn?: string[];
};

export interface EvaluateOptions {
  /** The policies to run; the whole pack by default. */
  policies?: Policies;
  /** Resources to look providers up in, when they are not among the evaluated ones. */
  providers?: EvaluatedResource[];
}

/** Not an Error: capturing a stack trace for every skipped resource × policy was most of an evaluation. */
class NotApplicable {
  constructor(readonly reason?: string) {}
}

function throwNotApplicable(reason?: string): never {
  throw new NotApplicable(reason);
}

/** Same rule as the analyzer: the class's `__pulumiType`, else its `isInstance`. */
function isTypeOf(type: string, resourceClass: unknown): boolean {
  const cls = resourceClass as { __pulumiType?: unknown; isInstance?: (obj: unknown) => boolean };
  if (typeof cls.__pulumiType === "string" && cls.__pulumiType !== "") return type === cls.__pulumiType;
  return typeof cls.isInstance === "function" && cls.isInstance({ __pulumiType: type }) === true;
}

/** Enforcement the way the engine resolves it: pack config, then the policy's own, then the pack's. */
export function enforcementOf(policy: Policy, config: PolicyPackConfig): EnforcementLevel {
  const entry = config[policy.name];
  const configured = typeof entry === "string" ? entry : (entry as { enforcementLevel?: EnforcementLevel } | undefined)?.enforcementLevel;
  return (configured as EnforcementLevel | undefined) ?? policy.enforcementLevel ?? PACK_ENFORCEMENT;
}

/**
 * The policy's config without enforcementLevel. Its schema's defaults are left to the
 * policy (policies/config.ts fills them, whoever calls it), so the offline run exercises
 * the same code path a caller that fills nothing would.
 */
function policyConfigOf(policy: Policy, config: PolicyPackConfig): Record<string, unknown> {
  const entry = config[policy.name];
  const given = entry !== null && typeof entry === "object" ? { ...(entry as Record<string, unknown>) } : {};
  delete given.enforcementLevel;
  return given;
}

/** How a violation names its resource: `type::name`, short enough for a terminal line. */
export function resourceLabel(resource: Pick<RecordedResource, "type" | "name">): string {
  return `${resource.type}::${resource.name}`;
}

/**
 * The record keeps secrets wrapped (`{[sig]: secret, value}`), as the mock monitor
 * received them; the analyzer hands policies plain values, so the same is done here.
 */
export function revealSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revealSecrets);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (record[specialSigKey] === specialSecretSig) return revealSecrets(record.value);
  return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, revealSecrets(item)]));
}

function isProviderType(type: string): boolean {
  return type.startsWith("pulumi:providers:");
}

/** Provider references are `urn::id`; a recorded one may be either form. */
function providerLookup(resources: EvaluatedResource[]): (ref: string | undefined) => PolicyProviderResource | undefined {
  const byUrn = new Map(resources.filter((r) => isProviderType(r.type)).map((r) => [r.urn, r]));
  return (ref) => {
    if (ref === undefined) return undefined;
    const provider = byUrn.get(ref) ?? byUrn.get(ref.slice(0, ref.lastIndexOf("::")));
    return provider && { type: provider.type, props: provider.inputs, urn: provider.urn, name: provider.name };
  };
}

function optionsOf(resource: EvaluatedResource): PolicyResourceOptions {
  return {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    ...(resource.parent !== undefined && { parent: resource.parent }),
  };
}

async function runValidations(run: () => Promise<void> | void): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof NotApplicable)) throw error;
  }
}

function isResourcePolicy(policy: Policy): policy is ResourceValidationPolicy {
  return "validateResource" in policy && (policy as ResourceValidationPolicy).validateResource !== undefined;
}

function isStackPolicy(policy: Policy): policy is StackValidationPolicy {
  return typeof (policy as Partial<StackValidationPolicy>).validateStack === "function";
}

/** The type a `validateResourceOfType`/`validateStackResourcesOfType` function is attached to (@pulumi/policy's getPulumiType). */
function attachedType(validation: unknown): string | undefined {
  const type = (validation as { __pulumiType?: unknown } | undefined)?.__pulumiType;
  return typeof type === "string" && type.length > 0 ? type : undefined;
}

/**
 * The analyzer's fast check (@pulumi/policy server.js, analyze/analyzeStack): a lone
 * validation typed for another resource type is not applicable without being called.
 * Calling it would say the same through `notApplicable`, but it throws per resource.
 */
function appliesTo(policy: ResourceValidationPolicy, type: string): boolean {
  if (Array.isArray(policy.validateResource)) return true;
  const attached = attachedType(policy.validateResource);
  return attached === undefined || attached === type;
}

/**
 * Every violation of the pack's policies on one recorded stack, under one policy pack
 * config (what `policyConfigFor` generates for the stack's stage). Disabled policies
 * do not run; "remediate" is reported as mandatory, since nothing is remediated offline.
 */
export async function evaluatePolicies(
  recorded: RecordedStack,
  config: PolicyPackConfig,
  options: EvaluateOptions = {},
): Promise<PolicyViolation[]> {
  const policies = (options.policies ?? POLICIES).filter((policy) => enforcementOf(policy, config) !== "disabled");
  // Resolved once per stack; each call hands out a shallow copy, as the analyzer does.
  const configs = new Map(policies.map((policy) => [policy, policyConfigOf(policy, config)]));
  const configFor = (policy: Policy) => <T extends object>() => ({ ...configs.get(policy) }) as T;
  const resources = recorded.resources
    .filter((r) => r.type !== "pulumi:pulumi:Stack")
    .map((r) => ({ ...r, inputs: revealSecrets(r.inputs) as Record<string, unknown> }));
  const providers = (options.providers ?? []).map((r) => ({ ...r, inputs: revealSecrets(r.inputs) as Record<string, unknown> }));
  const providerOf = providerLookup([...resources, ...providers]);
  const violations: PolicyViolation[] = [];
  const reporterFor = (policy: Policy, fallback?: EvaluatedResource): ReportViolation => {
    const declared = enforcementOf(policy, config);
    const level = declared === "remediate" ? "mandatory" : declared;
    return (message, urn) => {
      const target = urn !== undefined ? (resources.find((r) => r.urn === urn) ?? fallback) : fallback;
      violations.push({
        stack: recorded.stack,
        policy: policy.name,
        level,
        ...(target !== undefined ? { resource: resourceLabel(target) } : urn !== undefined ? { resource: urn } : {}),
        message,
      });
    };
  };

  for (const resource of resources) {
    for (const policy of policies.filter(isResourcePolicy)) {
      if (!appliesTo(policy, resource.type)) continue;
      const validations = [policy.validateResource ?? []].flat();
      const report = reporterFor(policy, resource);
      const args: ResourceValidationArgs = {
        type: resource.type,
        props: resource.inputs,
        urn: resource.urn,
        name: resource.name,
        opts: optionsOf(resource),
        stackTags: new Map(),
        isType: (resourceClass) => isTypeOf(resource.type, resourceClass),
        asType: ((resourceClass: unknown) => (isTypeOf(resource.type, resourceClass) ? resource.inputs : undefined)) as ResourceValidationArgs["asType"],
        getConfig: configFor(policy),
        notApplicable: throwNotApplicable,
      };
      const provider = providerOf(resource.provider);
      if (provider !== undefined) args.provider = provider;
      for (const validate of validations) await runValidations(() => validate(args, report));
    }
  }

  const stackPolicies = policies.filter(isStackPolicy);
  if (stackPolicies.length > 0) {
    const policyResources = toPolicyResources(resources, providerOf);
    for (const policy of stackPolicies) {
      const attached = attachedType(policy.validateStack);
      if (attached !== undefined && !resources.some((r) => r.type === attached)) continue;
      await runValidations(() =>
        policy.validateStack(
          {
            resources: policyResources,
            stackTags: new Map(),
            getConfig: configFor(policy),
            notApplicable: throwNotApplicable,
          },
          reporterFor(policy),
        ),
      );
    }
  }
  return violations;
}

function toPolicyResources(
  resources: EvaluatedResource[],
  providerOf: (ref: string | undefined) => PolicyProviderResource | undefined,
): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  const all = resources.map((resource) => {
    const policyResource: PolicyResource = {
      type: resource.type,
      props: resource.inputs,
      urn: resource.urn,
      name: resource.name,
      opts: optionsOf(resource),
      dependencies: [],
      propertyDependencies: {},
      isType: (resourceClass) => isTypeOf(resource.type, resourceClass),
      asType: ((resourceClass: unknown) => (isTypeOf(resource.type, resourceClass) ? resource.inputs : undefined)) as PolicyResource["asType"],
    };
    const provider = providerOf(resource.provider);
    if (provider !== undefined) policyResource.provider = provider;
    byUrn.set(resource.urn, policyResource);
    return policyResource;
  });
  resources.forEach((resource, i) => {
    const policyResource = all[i]!;
    const parent = resource.parent !== undefined ? byUrn.get(resource.parent) : undefined;
    if (parent !== undefined) policyResource.parent = parent;
    policyResource.dependencies = (resource.dependsOn ?? []).flatMap((urn) => byUrn.get(urn) ?? []);
  });
  return all;
}
