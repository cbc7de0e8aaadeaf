import type { FromSchema } from "json-schema-to-ts";
import { FLAG_KEY_PATTERN, NAME_PATTERN, flagDeclarationSchema } from "../../../infra/stack-config";

/** The format of envs/pipeline.yaml. */
export const pipelineFileSchema = {
  $id: "dcp/pipeline.yaml",
  type: "object",
  additionalProperties: false,
  required: ["workload", "stages", "components"],
  properties: {
    workload: { type: "string", pattern: NAME_PATTERN },
    stages: { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", pattern: NAME_PATTERN } },
    production: { type: "array", uniqueItems: true, items: { type: "string", pattern: NAME_PATTERN } },
    state: { type: "string", pattern: "^(file://|s3://|azblob://|gs://|https://).+" },
    rollbackScope: { enum: ["wave", "stage"] },
    components: {
      type: "object",
      minProperties: 1,
      propertyNames: { pattern: NAME_PATTERN },
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        required: ["schema"],
        properties: { schema: { type: "string", minLength: 1 } },
      },
    },
    flags: {
      type: "object",
      propertyNames: { pattern: FLAG_KEY_PATTERN },
      additionalProperties: flagDeclarationSchema,
    },
  },
} as const;

export type PipelineFile = FromSchema<typeof pipelineFileSchema>;
