import type { FromSchema } from "json-schema-to-ts";
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
  },
} as const;

export type StageFile = FromSchema<typeof stageFileSchema>;
export type Wave = FromSchema<typeof waveSchema>;
