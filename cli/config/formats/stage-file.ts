import type { FromSchema } from "json-schema-to-ts";
import { CREDENTIAL_VARIABLE_SOURCE } from "../../credential-variables";
import { alarmSchema, flagValueSchema, rolloutSchema, stackConfigSchema } from "../../../infra/stack-config";

export const waveSchema = {
  type: "object",
  additionalProperties: false,
  required: ["name", "regions", "bakeMinutes"],
  properties: {
    name: stackConfigSchema.properties.stage,
    regions: { type: "array", minItems: 1, items: stackConfigSchema.properties.region },
    bakeMinutes: { type: "number", minimum: 0, maximum: 10080 },
  },
} as const;

const checkNameSchema = {
  type: "string",
  pattern: "^[a-z][a-z0-9-]{0,62}$",
  description: "a lower-case name of letters, digits and dashes, starting with a letter",
} as const;

/** A synthetic request repeated through the bake: it checks the workload and keeps traffic flowing for the alarms. */
export const httpCheckSchema = {
  type: "object",
  additionalProperties: false,
  required: ["type", "name", "url"],
  properties: {
    type: { const: "http" },
    name: checkNameSchema,
    method: { enum: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] },
    url: { type: "string", minLength: 1, description: "an http(s) URL; {stage} and {region} are replaced per stack" },
    /** Default: any 2xx. */
    expectStatus: { type: "integer", minimum: 100, maximum: 599 },
    bodyContains: { type: "string", minLength: 1 },
    /** A dotted path into the JSON body, e.g. `$.checks.database` or `items[0].status`. */
    jsonPath: { type: "string", pattern: "^(\\$)?(\\.?[A-Za-z_][A-Za-z0-9_-]*|\\[[0-9]+\\])*$", minLength: 1 },
    equals: {},
    latencyBudgetMs: { type: "integer", minimum: 1 },
    intervalSeconds: { type: "number", exclusiveMinimum: 0, maximum: 3600 },
    timeoutMs: { type: "integer", minimum: 1, maximum: 600_000 },
  },
  dependencies: { equals: ["jsonPath"], jsonPath: ["equals"] },
} as const;

/** A test suite run against each stack; its exit code decides. */
export const commandCheckSchema = {
  type: "object",
  additionalProperties: false,
  required: ["type", "name", "run", "timeoutSeconds"],
  properties: {
    type: { const: "command" },
    name: checkNameSchema,
    run: {
      description: "a shell command line (run with sh -c) or an array of a program and its arguments",
      anyOf: [
        { type: "string", minLength: 1 },
        { type: "array", minItems: 1, items: { type: "string", minLength: 1 } },
      ],
    },
    timeoutSeconds: { type: "number", exclusiveMinimum: 0, maximum: 86_400 },
    intervalSeconds: { type: "number", exclusiveMinimum: 0, maximum: 86_400 },
    /** Relative to the repository root (the parent of envs/). */
    cwd: { type: "string", minLength: 1 },
    // The command runs with PATH, HOME and the DCP_* variables only: it is the workload's
    // code, beside dcp's deploy credentials. What else it needs from dcp's environment is
    // named here, and can never be one of those credentials.
    passEnv: {
      type: "array",
      uniqueItems: true,
      items: {
        type: "string",
        pattern: `^(?!(?:${CREDENTIAL_VARIABLE_SOURCE}))[A-Za-z_][A-Za-z0-9_]*$`,
        description: "an environment variable name that is not a credential of dcp's (AWS_* but AWS_REGION, PULUMI_*, ACTIONS_*, GITHUB_TOKEN)",
      },
    },
  },
} as const;

export const verifyCheckSchema = {
  type: "object",
  required: ["type"],
  properties: { type: { enum: ["http", "command"] } },
  if: { properties: { type: { const: "http" } } },
  then: httpCheckSchema,
  // Only a known type gets its shape checked: an unknown one is reported once, by the enum.
  else: { if: { properties: { type: { const: "command" } } }, then: commandCheckSchema },
} as const;

/** The format of envs/<stage>.yaml. */
export const stageFileSchema = {
  $id: "dcp/stage.yaml",
  type: "object",
  additionalProperties: false,
  required: ["account", "role", "rollout", "waves"],
  properties: {
    account: stackConfigSchema.properties.account,
    role: stackConfigSchema.properties.role,
    endpoint: { type: "string", pattern: "^https?://[^\\s]+$", description: "an http(s) URL such as http://localhost:4566" },
    approval: { enum: ["none", "manual"] },
    // How long a changed value must have run on every stack of the previous stage
    // before `release` promotes it into this one (`--skip-soak --reason` overrides).
    promotion: {
      type: "object",
      additionalProperties: false,
      required: ["minSoakMinutes"],
      properties: { minSoakMinutes: { type: "integer", minimum: 0, maximum: 43_200 } },
    },
    rollout: rolloutSchema,
    waves: { type: "array", minItems: 1, items: waveSchema },
    alarms: { type: "array", items: alarmSchema },
    flags: { type: "object", additionalProperties: flagValueSchema },
    // Each component's config is checked against that component's own schema, which
    // only pipeline.yaml names; see component configs in load.ts.
    config: { type: "object" },
    // Run against each wave after its update and through its bake; not part of the
    // StackConfig, so adding a check neither deploys anything nor changes a release id.
    verify: { type: "array", items: verifyCheckSchema },
  },
} as const;

export type StageFile = FromSchema<typeof stageFileSchema>;
export type Wave = FromSchema<typeof waveSchema>;
export type HttpCheck = FromSchema<typeof httpCheckSchema>;
export type CommandCheck = FromSchema<typeof commandCheckSchema>;
export type VerifyCheck = HttpCheck | CommandCheck;
