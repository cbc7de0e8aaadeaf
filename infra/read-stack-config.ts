import * as pulumi from "@pulumi/pulumi";
import Ajv, { type Options, type ValidateFunction } from "ajv";
import { compiledValidator, type ValidatorSpec } from "./compiled-validator";
import { STACK_CONFIG_KEY, stackConfigSchema, type StackConfig } from "./stack-config";

/**
 * Reads `dcp:stack` and checks it against the StackConfig contract: a stack updated
 * by hand (`pulumi config set`) or by an older dcp fails here, with every problem named,
 * rather than half-way through an update.
 */
export function readStackConfig(): StackConfig {
  const [namespace, key] = STACK_CONFIG_KEY.split(":") as [string, string];
  const value: unknown = new pulumi.Config(namespace).requireObject(key);
  const problems = stackConfigProblems(value);
  if (problems.length > 0) {
    throw new pulumi.RunError(`${STACK_CONFIG_KEY} is not a valid StackConfig:\n  ${problems.join("\n  ")}`);
  }
  return value as StackConfig;
}

export const STACK_CONFIG_VALIDATOR: ValidatorSpec = {
  id: "stack-config",
  schema: stackConfigSchema,
  ajv: (extra?: Options) => new Ajv({ allErrors: true, allowUnionTypes: true, ...extra }).addFormat("date", /^\d{4}-\d{2}-\d{2}$/),
};

let validate: ValidateFunction | undefined;

export function stackConfigProblems(value: unknown): string[] {
  validate ??= compiledValidator(STACK_CONFIG_VALIDATOR);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || "/"} ${error.message ?? "is invalid"}`);
}
