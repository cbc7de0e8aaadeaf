import { readFile, realpath } from "node:fs/promises";
import * as path from "node:path";
import type { ValidateFunction } from "ajv";
import type { Diagnostics } from "./diagnostics";
import type { PipelineFile } from "./formats/pipeline-file";
import { componentValidator } from "../../policies/component-validator";
import { problem, type SourceFile } from "./source";

export interface ComponentSchema {
  schema: Record<string, unknown>;
  validate: ValidateFunction;
}

/**
 * Read and compile every component's JSON Schema. A schema path must stay inside
 * envs/: the schema is deployed as AppConfig's validator, so it belongs to the
 * reviewed configuration, not to whatever file a path happens to reach.
 */
export async function loadComponentSchemas(
  envsDir: string,
  shownDir: string,
  pipeline: PipelineFile,
  pipelineSource: SourceFile,
  diagnostics: Diagnostics,
): Promise<Record<string, ComponentSchema>> {
  const schemas: Record<string, ComponentSchema> = {};
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the envs directory the operator named with --envs
  const root = await realpath(envsDir);
  // Components may share a schema file: it is parsed and compiled once, and a problem
  // in it is reported once (undefined: the file has a problem).
  const compiled = new Map<string, ComponentSchema | undefined>();
  await Promise.all(
    Object.entries(pipeline.components).map(async ([name, { schema: relative }]) => {
      const at = ["components", name, "schema"];
      const absolute = path.resolve(envsDir, relative);
      const shown = path.join(shownDir, relative);
      let text: string;
      let real: string;
      try {
        // eslint-disable-next-line security/detect-non-literal-fs-filename -- a schema path from pipeline.yaml, confined to the envs directory just below
        real = await realpath(absolute);
        if (real !== root && !real.startsWith(root + path.sep)) {
          diagnostics.error(pipelineSource, at, `schema path "${relative}" points outside the envs directory; keep component schemas under ${shownDir}`);
          return;
        }
        // eslint-disable-next-line security/detect-non-literal-fs-filename -- checked above to lie inside the envs directory
        text = await readFile(real, "utf8");
      } catch (error) {
        const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
        diagnostics.error(pipelineSource, at, missing ? `schema file "${relative}" not found` : `cannot read schema file "${relative}": ${(error as Error).message}`);
        return;
      }
      if (!compiled.has(real)) compiled.set(real, compileSchema(text, shown, diagnostics));
      const schema = compiled.get(real);
      if (schema) schemas[name] = schema;
    }),
  );
  return schemas;
}

function compileSchema(text: string, shown: string, diagnostics: Diagnostics): ComponentSchema | undefined {
  const parsed = parseJson(text, shown, diagnostics);
  if (parsed === undefined) return undefined;
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    diagnostics.add(problem(shown, 1, 1, "a component schema must be a JSON object (a JSON Schema, draft-04)"));
    return undefined;
  }
  try {
    return { schema: parsed as Record<string, unknown>, validate: componentValidator(parsed) };
  } catch (error) {
    diagnostics.add(problem(shown, 1, 1, `not a valid JSON Schema (draft-04, as AppConfig uses): ${(error as Error).message}`));
    return undefined;
  }
}

function parseJson(text: string, shown: string, diagnostics: Diagnostics): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const offset = Number(/position (\d+)/.exec(message)?.[1] ?? 0);
    const before = text.slice(0, offset).split("\n");
    diagnostics.add(problem(shown, before.length, (before.at(-1)?.length ?? 0) + 1, `invalid JSON: ${message.replace(/ in JSON at position.*/, "")}`));
    return undefined;
  }
}
