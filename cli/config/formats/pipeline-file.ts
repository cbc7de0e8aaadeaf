import type { FromSchema } from "json-schema-to-ts";
import { FLAG_KEY_PATTERN, flagDeclarationSchema, stackConfigSchema } from "../../../infra/stack-config";

const name = stackConfigSchema.properties.stage;

/** The format of envs/pipeline.yaml. */
export const pipelineFileSchema = {
  $id: "dcp/pipeline.yaml",
  type: "object",
  additionalProperties: false,
  required: ["workload", "stages", "components"],
  properties: {
    workload: name,
    stages: { type: "array", minItems: 1, uniqueItems: true, items: name },
    production: { type: "array", uniqueItems: true, items: name },
    state: { type: "string", pattern: "^(file://|s3://|azblob://|gs://|https://).+" },
    secretsProvider: {
      type: "string",
      pattern: "^(passphrase|awskms://[^?]+(\\?.*)?)$",
      description: "how the stacks' secrets are encrypted: passphrase (PULUMI_CONFIG_PASSPHRASE), or a KMS key such as awskms://alias/dcp-state?region=us-east-1",
    },
    rollbackScope: { enum: ["wave", "stage"] },
    mainBranch: {
      type: "string",
      pattern: "^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$",
      description: "the branch releases are made from (default main): a rollback runs a recorded program revision only if it is on this branch",
    },
    components: {
      type: "object",
      minProperties: 1,
      propertyNames: name,
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        required: ["schema"],
        properties: { schema: { type: "string", minLength: 1 } },
      },
    },
    flags: {
      type: "object",
      propertyNames: { pattern: FLAG_KEY_PATTERN, description: "a flag key AppConfig accepts: a lowercase letter first, then letters, digits, _ or - (64 characters at most)" },
      additionalProperties: flagDeclarationSchema,
    },
  },
} as const;

export type PipelineFile = FromSchema<typeof pipelineFileSchema>;
