import Ajv, { _, type AnySchema, type ErrorObject, type Options } from "ajv";
import type { ValidatorSpec } from "../../infra/compiled-validator";
import { DATE_FORMATS } from "./date-format";
import type { Diagnostics } from "./diagnostics";
import type { JsonPath, SourceFile } from "./source";

/** The validator spec for one of dcp's own file formats (draft-07). */
export function formatValidatorSpec(id: string, schema: AnySchema): ValidatorSpec {
  return {
    id,
    schema,
    ajv: (extra?: Options) => {
      // Generated code finds the date format where the build puts it: dist/validators/ → dist/cli/config/.
      const code = { ...extra?.code, formats: _`require("../cli/config/date-format.js").DATE_FORMATS` };
      const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true, ...extra, code });
      ajv.addFormat("date", DATE_FORMATS.date);
      return ajv;
    },
  };
}

/** Report each schema error at the offending value (or key), in words a user can act on. */
export function reportSchemaErrors(
  diagnostics: Diagnostics,
  source: SourceFile,
  errors: ErrorObject[] | null | undefined,
  base: JsonPath = [],
): void {
  if (!errors) return;
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === "anyOf").map((e) => e.instancePath));
  for (const error of errors) {
    // anyOf reports every failed branch too; its own summary is the useful line.
    if (error.keyword !== "anyOf" && anyOfPaths.has(error.instancePath)) continue;
    const path = [...base, ...pointerToPath(error.instancePath)];
    const where = path.length > 0 ? `"${path.join(".")}"` : "the file";
    switch (error.keyword) {
      case "additionalProperties": {
        const key = String(error.params.additionalProperty);
        const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
        const hint = allowed.length > 0 ? `; expected one of: ${allowed.join(", ")}` : "";
        diagnostics.error(source, [...path, key], `unknown key "${key}" in ${where}${hint}`, { key: true });
        break;
      }
      case "required":
        diagnostics.error(source, path, `missing required key "${String(error.params.missingProperty)}" in ${where}`, { key: true });
        break;
      // Each is reported through its nested errors: "propertyNames" through the "pattern"
      // error on the name itself, "if" through the then/else branch's own errors.
      case "propertyNames":
      case "if":
        break;
      default:
        if (error.propertyName !== undefined) {
          diagnostics.error(source, [...path, error.propertyName], `invalid name "${error.propertyName}" in ${where}: ${describe(error)}`, { key: true });
        } else {
          diagnostics.error(source, path, `${where}: ${describe(error)}`);
        }
    }
  }
}

function describe(error: ErrorObject): string {
  const schema = error.parentSchema as { description?: string } | undefined;
  const got = error.data === undefined ? "" : `, got ${JSON.stringify(error.data)}`;
  switch (error.keyword) {
    case "enum":
      return `expected one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}${got}`;
    case "type":
      return `expected ${String(error.params.type).replace(",", " or ")}${got}`;
    case "pattern":
      return schema?.description ? `expected ${schema.description}${got}` : `expected a value matching ${String(error.params.pattern)}${got}`;
    case "anyOf":
      return `expected ${schema?.description ?? "a value of another shape"}${got}`;
    case "format":
      return `expected a ${String(error.params.format)} (YYYY-MM-DD)${got}`;
    case "minItems":
      return `expected at least ${counted(error.params.limit, "item")}${got}`;
    case "maxItems":
      return `expected at most ${counted(error.params.limit, "item")}${got}`;
    case "minLength":
      return `expected at least ${counted(error.params.limit, "character")}${got}`;
    case "maxLength":
      return `expected at most ${counted(error.params.limit, "character")}${got}`;
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return `expected a number ${String(error.params.comparison)} ${String(error.params.limit)}${got}`;
    case "uniqueItems":
      return `expected no item twice (items ${String(error.params.j)} and ${String(error.params.i)} are the same)${got}`;
    default:
      return `${error.message ?? "invalid value"}${got}`;
  }
}

function counted(limit: unknown, noun: string): string {
  return `${String(limit)} ${noun}${limit === 1 ? "" : "s"}`;
}

export function pointerToPath(pointer: string): Array<string | number> {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}
