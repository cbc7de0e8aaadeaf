import type Ajv from "ajv";
import type { AnySchema, Options, ValidateFunction } from "ajv";
import { join } from "node:path";

/**
 * A JSON Schema whose validator is generated at build time: compiling a schema with ajv
 * costs more than a whole `dcp validate` of the sample otherwise spends on it, and the
 * schemas are fixed for a given build. `ajv` builds the instance with the options the
 * validator needs, plus the code-generation `extra` options the build adds.
 */
export interface ValidatorSpec {
  /** File name of the generated module under dist/validators/. */
  id: string;
  schema: AnySchema;
  ajv(extra?: Options): Ajv;
}

/**
 * The spec's validator: the module `npm run build` generated (scripts/compile-validators.js)
 * when this is the compiled JavaScript, compiled now when it runs from the TypeScript
 * sources (tests, tsx), so that a schema edited since the last build is never checked
 * by stale code.
 */
export function compiledValidator(spec: ValidatorSpec): ValidateFunction {
  if (__filename.endsWith(".ts")) return spec.ajv().compile(spec.schema);
  // eslint-disable-next-line @typescript-eslint/no-require-imports, security/detect-non-literal-require -- a module the build generated under dist/, by an id this repository declares
  return require(join(__dirname, "..", "validators", `${spec.id}.js`)) as ValidateFunction;
}
