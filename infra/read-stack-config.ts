import * as pulumi from "@pulumi/pulumi";
import Ajv from "ajv";
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

let validate: ReturnType<Ajv["compile"]> | undefined;

export function stackConfigProblems(value: unknown): string[] {
  if (validate === undefined) {
    const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
    ajv.addFormat("date", /^\d{4}-\d{2}-\d{2}$/);
    validate = ajv.compile(stackConfigSchema);
  }
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || "/"} ${error.message ?? "is invalid"}`);
}
