import type { FromSchema } from "json-schema-to-ts";

/**
 * The contract between dcp and the infra program: dcp resolves one StackConfig per
 * stage × region and sets it as the structured config value `dcp:stack`; the program
 * reads nothing else. The types below are derived from these schemas, so the two
 * cannot drift, and the program validates what it is given against them.
 */

export const FLAG_KEY_PATTERN = "^[a-z][a-zA-Z0-9_-]{0,63}$";
export const NAME_PATTERN = "^[a-z][a-z0-9-]{0,30}$";
export const NAME_DESCRIPTION = "a lower-case name of letters, digits and dashes, starting with a letter (at most 31 characters)";
export const REGION_PATTERN = "^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]$";
export const ACCOUNT_PATTERN = "^[0-9]{12}$";
export const ROLE_ARN_PATTERN = "^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$";

export const rolloutSchema = {
  type: "object",
  additionalProperties: false,
  required: ["durationMinutes", "growthType", "growthFactor", "finalBakeMinutes"],
  properties: {
    durationMinutes: { type: "integer", minimum: 0, maximum: 1440 },
    growthType: { enum: ["LINEAR", "EXPONENTIAL"] },
    growthFactor: { type: "number", minimum: 1, maximum: 100 },
    finalBakeMinutes: { type: "integer", minimum: 0, maximum: 1440 },
  },
} as const;

export const alarmSchema = {
  type: "object",
  additionalProperties: false,
  required: ["name", "namespace", "metric", "statistic", "period", "evaluationPeriods", "threshold", "comparison"],
  properties: {
    name: { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$" },
    description: { type: "string" },
    namespace: { type: "string", minLength: 1, maxLength: 255 },
    metric: { type: "string", minLength: 1, maxLength: 255 },
    dimensions: { type: "object", maxProperties: 30, additionalProperties: { type: "string", minLength: 1 } },
    statistic: { type: "string", pattern: "^(SampleCount|Average|Sum|Minimum|Maximum|p[0-9]{1,2}(\\.[0-9]+)?)$" },
    period: { type: "integer", enum: [10, 30, 60, 120, 180, 240, 300, 600, 900, 1800, 3600, 21600, 86400] },
    evaluationPeriods: { type: "integer", minimum: 1, maximum: 100 },
    threshold: { type: "number" },
    comparison: {
      enum: ["GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold"],
    },
    treatMissingData: { enum: ["breaching", "notBreaching", "ignore", "missing"] },
  },
} as const;

/** A typed flag attribute, with the constraints AppConfig's feature-flag format supports. */
export const attributeSchema = {
  type: "object",
  additionalProperties: false,
  required: ["type"],
  properties: {
    type: { enum: ["string", "number", "boolean", "string[]", "number[]"] },
    description: { type: "string" },
    required: { type: "boolean" },
    enum: { type: "array", minItems: 1, items: { type: ["string", "number"] } },
    pattern: { type: "string", minLength: 1 },
    minimum: { type: "number" },
    maximum: { type: "number" },
  },
} as const;

/** A flag as the catalogue in pipeline.yaml declares it. */
export const flagDeclarationSchema = {
  type: "object",
  additionalProperties: false,
  required: ["description", "owner", "components"],
  properties: {
    name: { type: "string", minLength: 1, maxLength: 64 },
    description: { type: "string", minLength: 1, maxLength: 1024 },
    owner: { type: "string", minLength: 1 },
    components: { type: "array", minItems: 1, uniqueItems: true, items: { type: "string" } },
    expires: { type: "string", format: "date" },
    attributes: {
      type: "object",
      maxProperties: 25,
      propertyNames: { pattern: FLAG_KEY_PATTERN },
      additionalProperties: attributeSchema,
    },
  },
} as const;

/** A flag's value in a stage: whether it is on, and its attribute values. */
export const flagValueSchema = {
  type: "object",
  required: ["enabled"],
  properties: { enabled: { type: "boolean" } },
  propertyNames: { pattern: FLAG_KEY_PATTERN },
  additionalProperties: {
    anyOf: [{ type: ["string", "number", "boolean"] }, { type: "array", items: { type: ["string", "number"] } }],
  },
} as const;

/** What dcp records about a release; excluded from the release id. */
export const releaseMetadataSchema = {
  type: "object",
  additionalProperties: false,
  required: ["releaseId"],
  properties: {
    releaseId: { type: "string", pattern: "^[0-9a-f]{12}$" },
    releasedAt: { type: "string" },
    releasedBy: { type: "string" },
    gitCommit: { type: "string" },
    gitDirty: { type: "boolean" },
    ci: { type: "string" },
    reason: { type: "string" },
    /** Content hash of each AppConfig profile as the stack runs it now: unchanged profiles are not redeployed. */
    deployedContent: { type: "object", additionalProperties: { type: "string" } },
    /** When the release passed its bake on this stack: recorded by an update that changes nothing else. */
    bakedAt: { type: "string" },
  },
} as const;

export const stackConfigSchema = {
  $id: "dcp/stack-config",
  type: "object",
  additionalProperties: false,
  required: ["workload", "stage", "region", "account", "role", "production", "rollout", "alarms", "flags", "components"],
  properties: {
    workload: { type: "string", pattern: NAME_PATTERN, description: NAME_DESCRIPTION },
    stage: { type: "string", pattern: NAME_PATTERN, description: NAME_DESCRIPTION },
    region: { type: "string", pattern: REGION_PATTERN, description: "an AWS region name such as us-east-1" },
    account: { type: "string", pattern: ACCOUNT_PATTERN, description: "a 12-digit AWS account id, quoted" },
    role: { type: "string", pattern: ROLE_ARN_PATTERN, description: "an IAM role ARN such as arn:aws:iam::111111111111:role/dcp-deploy" },
    endpoint: { type: "string" },
    production: { type: "boolean" },
    rollout: rolloutSchema,
    alarms: { type: "array", items: alarmSchema },
    flags: {
      type: "object",
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        required: ["declaration", "value"],
        properties: { declaration: flagDeclarationSchema, value: flagValueSchema },
      },
    },
    components: {
      type: "object",
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        required: ["schema", "config"],
        properties: { schema: { type: "object" }, config: { type: "object" } },
      },
    },
    metadata: releaseMetadataSchema,
  },
} as const;

export type StackConfig = FromSchema<typeof stackConfigSchema>;
export type Rollout = FromSchema<typeof rolloutSchema>;
export type Alarm = FromSchema<typeof alarmSchema>;
export type AttributeDeclaration = FromSchema<typeof attributeSchema>;
export type FlagDeclaration = FromSchema<typeof flagDeclarationSchema>;
export type FlagValue = FromSchema<typeof flagValueSchema>;

/** The Pulumi config key under which dcp hands the program its StackConfig. */
export const STACK_CONFIG_KEY = "dcp:stack";

export function stackName(stage: string, region: string): string {
  return `${stage}-${region}`;
}
