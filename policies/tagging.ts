import type { PolicyConfigSchema, PolicyProviderResource, ResourceValidationPolicy } from "@pulumi/policy";
import { configOf } from "./config";
import { isRecord } from "./content";
import { knownOrUndefined } from "./unknowns";

/** Tagging: every resource says which workload, stage and region it belongs to, and who manages it. */

/** The types dcp declares that accept tags; any other resource with a `tags` input is checked too. */
export const TAGGABLE_TYPES = [
  "aws:appconfig/application:Application",
  "aws:appconfig/environment:Environment",
  "aws:appconfig/configurationProfile:ConfigurationProfile",
  "aws:appconfig/deploymentStrategy:DeploymentStrategy",
  "aws:appconfig/deployment:Deployment",
  "aws:cloudwatch/metricAlarm:MetricAlarm",
  "aws:sns/topic:Topic",
  "aws:iam/role:Role",
];

const tagsSchema: PolicyConfigSchema = {
  properties: {
    requiredTags: { type: "array", items: { type: "string" }, default: ["workload", "stage", "region", "managed-by"] },
    expectedValues: { type: "object", default: {}, description: "Tag key → the value it must have in this stage (e.g. stage: prod)" },
    taggableTypes: { type: "array", items: { type: "string" }, default: TAGGABLE_TYPES },
  },
};

interface TagsConfig {
  requiredTags: string[];
  expectedValues: Record<string, string>;
  taggableTypes: string[];
}

function tagMap(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

/**
 * The AWS provider's `defaultTags.tags`. The provider serialises object-valued inputs
 * as JSON text (that is how the engine sees them), and tests or older SDKs may pass
 * the object: both are read.
 */
export function providerDefaultTags(provider: PolicyProviderResource | undefined): Record<string, string> {
  const raw = knownOrUndefined(() => provider?.props.defaultTags as unknown);
  let defaults = raw;
  if (typeof raw === "string") {
    try {
      defaults = JSON.parse(raw);
    }
    // Stryker disable next-line BlockStatement: text that is not JSON stays a string, which the record check below reads as no default tags too
    catch {
      return {};
    }
  }
  return isRecord(defaults) ? tagMap(defaults.tags) : {};
}

export const requiredTags: ResourceValidationPolicy = {
  name: "required-tags",
  description:
    "Every taggable resource carries the required tags (workload, stage, region, managed-by), set on the resource or inherited from the provider's default tags.",
  enforcementLevel: "mandatory",
  configSchema: tagsSchema,
  validateResource: (args, reportViolation) => {
    const config = configOf<TagsConfig>(tagsSchema, args);
    if (!config.taggableTypes.includes(args.type) && !("tags" in args.props)) return;
    // What AWS ends up with: the provider's default tags, overridden by the resource's own.
    const tags = {
      ...providerDefaultTags(args.provider),
      ...tagMap(knownOrUndefined(() => args.props.tags as unknown)),
      ...tagMap(knownOrUndefined(() => args.props.tagsAll as unknown)),
    };
    const missing = config.requiredTags.filter((key) => (tags[key] ?? "").trim() === "");
    if (missing.length > 0) {
      reportViolation(`missing tags ${missing.join(", ")} (set them on the resource or as the provider's defaultTags).`);
    }
    for (const [key, expected] of Object.entries(config.expectedValues)) {
      const actual = tags[key];
      if (actual !== undefined && actual !== expected) reportViolation(`tag ${key} is "${actual}", expected "${expected}" in this stage.`);
    }
  },
};
