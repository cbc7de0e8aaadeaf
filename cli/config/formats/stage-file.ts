import type { FromSchema } from "json-schema-to-ts";
import {
  ACCOUNT_PATTERN,
  NAME_PATTERN,
  REGION_PATTERN,
  ROLE_ARN_PATTERN,
  alarmSchema,
  flagValueSchema,
  rolloutSchema,
} from "../../../infra/stack-config";

export const waveSchema = {
  type: "object",
  additionalProperties: false,
  required: ["name", "regions", "bakeMinutes"],
  properties: {
    name: { type: "string", pattern: NAME_PATTERN },
    regions: { type: "array", minItems: 1, items: { type: "string", pattern: REGION_PATTERN } },
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
    account: { type: "string", pattern: ACCOUNT_PATTERN },
    role: { type: "string", pattern: ROLE_ARN_PATTERN },
    endpoint: { type: "string", pattern: "^https?://[^\\s]+$" },
    approval: { enum: ["none", "manual"] },
    rollout: rolloutSchema,
    waves: { type: "array", minItems: 1, items: waveSchema },
    alarms: { type: "array", items: alarmSchema },
    flags: { type: "object", additionalProperties: flagValueSchema },
    config: { type: "object", additionalProperties: { type: "object" } },
  },
} as const;

export type StageFile = FromSchema<typeof stageFileSchema>;
export type Wave = FromSchema<typeof waveSchema>;
