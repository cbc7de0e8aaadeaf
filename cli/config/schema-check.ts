import Ajv, { type AnySchema, type ErrorObject, type ValidateFunction } from "ajv";
import AjvDraft04 from "ajv-draft-04";
import type { Diagnostics } from "./diagnostics";
import type { JsonPath, SourceFile } from "./source";

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.getUTCDate() === Number(m[3]);
}

/** Validator for dcp's own file formats (draft-07). */
export function formatValidator(schema: AnySchema): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
  ajv.addFormat("date", { type: "string", validate: isCalendarDate });
  return ajv.compile(schema);
}

/**
 * Component schemas are JSON Schema draft-04 because that is what AppConfig's
 * JSON_SCHEMA validator evaluates at deploy time: the commit-time check must agree.
 */
export function componentAjv(): AjvDraft04 {
  return new AjvDraft04({ allErrors: true, verbose: true, strict: false });
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
        const allowed = Object.keys((error.parentSchema as { properties?: object })?.properties ?? {});
        const hint = allowed.length > 0 ? `; expected one of: ${allowed.join(", ")}` : "";
        diagnostics.error(source, [...path, key], `unknown key "${key}" in ${where}${hint}`, { key: true });
        break;
      }
      case "required":
        diagnostics.error(source, path, `missing required key "${String(error.params.missingProperty)}" in ${where}`, { key: true });
        break;
      case "propertyNames":
        break; // reported through the nested "pattern" error on the name itself
      case "if":
        break; // the then/else branch's own errors say what is wrong
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
