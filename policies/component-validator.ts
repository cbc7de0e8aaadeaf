import Ajv04 from "ajv-draft-04";
import type { ValidateFunction } from "ajv";

/**
 * Component schemas are JSON Schema draft-04 because that is what AppConfig's
 * JSON_SCHEMA validator evaluates at deploy time: the commit-time check must agree.
 * `addUsedSchema: false` keeps an `$id` from claiming a slot in the shared instance,
 * so two envs/ trees (or an edited schema) with one `$id` never collide. Skipping ajv's
 * code optimisation pass halves compile time on the sample's schemas; the verdicts are
 * the same and the configs they check are small.
 */
const ajv = new Ajv04({
  allErrors: true,
  verbose: true,
  strict: false,
  addUsedSchema: false,
  // Stryker disable next-line ObjectLiteral,BooleanLiteral: ajv's optimisation pass changes compile time only, never a verdict
  code: { optimize: false },
});
const compiled = new Map<string, ValidateFunction>();

/**
 * The validator of one component schema, compiled once per distinct schema per process:
 * `dcp validate` checks the configs while loading envs/ and the policy pack checks every
 * stack's hosted version against the same schemas. Throws when the schema is not valid.
 */
export function componentValidator(schema: object): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (validate === undefined) {
    validate = ajv.compile(schema);
    // Stryker disable next-line CallExpression: without the cache each call compiles the same schema again, to a validator with the same verdicts; only time differs
    compiled.set(key, validate);
  }
  return validate;
}
