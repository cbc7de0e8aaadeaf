// JSON_SCHEMA validators (botocore model shape `Validator`; User Guide "About validators").
// AppConfig validates against JSON Schema draft-04 by default; a schema naming a later draft
// in `$schema` is compiled with ajv's default (draft-07) dialect.
import Ajv from "ajv";
import AjvDraft04 from "ajv-draft-04";
import { badRequest } from "./errors";
import type { Validator } from "./store";

function compile(schemaText: string): ReturnType<Ajv["compile"]> {
  let schema: unknown;
  try {
    schema = JSON.parse(schemaText);
  } catch {
    throw badRequest("A JSON_SCHEMA validator's Content is not JSON");
  }
  if (typeof schema !== "object" || schema === null) throw badRequest("A JSON_SCHEMA validator's Content is not a schema");
  const dialect = String((schema as { $schema?: unknown }).$schema ?? "draft-04");
  const ajv = dialect.includes("draft-04") ? new AjvDraft04({ allErrors: true, strict: false }) : new Ajv({ allErrors: true, strict: false });
  try {
    return ajv.compile(schema);
  } catch (error) {
    throw badRequest(`Invalid JSON schema in validator: ${(error as Error).message}`);
  }
}

// Checked at CreateConfigurationProfile/UpdateConfigurationProfile so a broken schema is
// refused up front rather than at the first hosted version.
export function checkValidators(validators: readonly Validator[]): void {
  for (const validator of validators) {
    if (validator.Type !== "JSON_SCHEMA" && validator.Type !== "LAMBDA") throw badRequest(`Unknown validator type ${validator.Type}`);
    if (validator.Type === "JSON_SCHEMA") compile(validator.Content ?? "");
  }
}

export function validateContent(validators: readonly Validator[], content: Buffer): void {
  for (const validator of validators) {
    if (validator.Type !== "JSON_SCHEMA") continue; // LAMBDA validators are not invoked here
    const check = compile(validator.Content ?? "");
    let data: unknown;
    try {
      data = JSON.parse(content.toString("utf8"));
    } catch {
      throw invalid([{ Type: "JSON_SCHEMA", Reason: "Content is not valid JSON" }]);
    }
    if (!check(data)) {
      throw invalid(
        (check.errors ?? []).map((error) => ({
          Type: "JSON_SCHEMA",
          Location: error.instancePath || "/",
          Constraint: error.keyword,
          Reason: error.message ?? "fails the schema",
        })),
      );
    }
  }
}

function invalid(details: Record<string, string>[]): ReturnType<typeof badRequest> {
  return badRequest("Configuration data failed validation", {
    Reason: "InvalidConfiguration",
    Details: { InvalidConfiguration: details },
  });
}
