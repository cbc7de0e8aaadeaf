import { readdir, stat } from "node:fs/promises";
import * as path from "node:path";
import type { Diagnostic } from "../errors";
import { loadComponentSchemas } from "./component-schemas";
import { Diagnostics, sortDiagnostics } from "./diagnostics";
import { checkFlagCatalogue } from "./flag-catalogue";
import { checkFlagValues } from "./flag-values";
import { pipelineFileSchema, type PipelineFile } from "./formats/pipeline-file";
import { stageFileSchema, type StageFile } from "./formats/stage-file";
import type { Envs, StageDefinition } from "./model";
import type { ValidateFunction } from "ajv";
import { compiledValidator } from "../../infra/compiled-validator";
import { formatValidatorSpec, reportSchemaErrors } from "./schema-check";
import { scanForSecrets } from "./secrets-scan";
import { problem, readYamlFile, type SourceFile } from "./source";
import { checkEndpoint, checkPipeline, checkStage } from "./stage-rules";
import { checkVerify } from "./verify-rules";

export interface LoadResult {
  /** Present only when envs/ has no error (warnings allowed). */
  envs?: Envs;
  diagnostics: Diagnostic[];
}

export interface LoadOptions {
  /** Today's date as YYYY-MM-DD, for flag expiry; defaults to the current UTC date. */
  today?: string;
  /** How paths are shown in messages; defaults to relative to the working directory. */
  cwd?: string;
  /** Check only this stage's file (pipeline.yaml and the schemas always); the result holds only this stage. */
  stage?: string;
}

/** The file formats whose validators `npm run build` generates (scripts/compile-validators.js). */
export const FORMAT_VALIDATORS = [
  formatValidatorSpec("pipeline-file", pipelineFileSchema),
  formatValidatorSpec("stage-file", stageFileSchema),
] as const;
const validatePipelineFile = lazy(() => compiledValidator(FORMAT_VALIDATORS[0]));
const validateStageFile = lazy(() => compiledValidator(FORMAT_VALIDATORS[1]));

/**
 * Load envs/ and check everything that can be checked without a cloud: file formats,
 * cross-file rules, component configs against their schemas, flag values against
 * the catalogue, and secrets. Reports every problem, not only the first.
 */
export async function loadEnvs(dir: string, options: LoadOptions = {}): Promise<LoadResult> {
  const absolute = path.resolve(dir);
  const shownDir = path.relative(options.cwd ?? process.cwd(), absolute) || ".";
  const shown = (file: string) => path.join(shownDir, file);
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const diagnostics = new Diagnostics();

  const notADirectory = await envsDirectoryProblem(absolute);
  // No line or column: the problem is the path itself, not a place in a file.
  if (notADirectory !== undefined) return { diagnostics: [problem(shownDir, 0, 0, notADirectory)] };

  const pipelineParsed = await readYamlFile(path.join(absolute, "pipeline.yaml"), shown("pipeline.yaml"));
  diagnostics.add(...pipelineParsed.diagnostics);
  const pipelineSource = pipelineParsed.source;
  const pipeline = pipelineSource && checked<PipelineFile>(pipelineSource, validatePipelineFile(), diagnostics);

  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the envs directory the operator named with --envs
  const yamlFiles = (await readdir(absolute)).filter((f) => /\.ya?ml$/.test(f) && f !== "pipeline.yaml");
  const stageNames = pipeline?.stages ?? [];
  // Only a valid pipeline.yaml says which stage files belong.
  for (const file of pipeline ? yamlFiles : []) {
    if (stageNames.some((name) => file === `${name}.yaml`)) continue;
    const hint = file.endsWith(".yml") ? "stage files are named <stage>.yaml" : `it is not a stage listed in pipeline.yaml (${stageNames.join(", ")})`;
    diagnostics.add(problem(shown(file), 1, 1, `stray stage file: ${hint}`));
  }

  if (pipelineSource && pipeline && options.stage !== undefined && !stageNames.includes(options.stage)) {
    diagnostics.error(pipelineSource, ["stages"], `there is no stage "${options.stage}" (asked for with --stage); the stages are ${stageNames.join(", ")}`);
  }
  const stages: Array<{ name: string; source: SourceFile; definition: StageFile }> = [];
  // Stage files with format errors still get their component configs checked, so
  // that one run shows every problem rather than one layer at a time.
  const invalidStages: SourceFile[] = [];
  for (const [i, name] of stageNames.entries()) {
    const file = `${name}.yaml`;
    if (!yamlFiles.includes(file)) {
      diagnostics.error(pipelineSource!, ["stages", i], `stage "${name}" has no file ${shown(file)}`);
      continue;
    }
    if (options.stage !== undefined && name !== options.stage) continue;
    const parsed = await readYamlFile(path.join(absolute, file), shown(file));
    diagnostics.add(...parsed.diagnostics);
    if (!parsed.source) continue;
    scanForSecrets(parsed.source, diagnostics);
    const definition = checked<StageFile>(parsed.source, validateStageFile(), diagnostics);
    if (definition) stages.push({ name, source: parsed.source, definition });
    else invalidStages.push(parsed.source);
  }
  if (!pipeline || !pipelineSource) return { diagnostics: sortDiagnostics(diagnostics.all) };

  scanForSecrets(pipelineSource, diagnostics);
  checkPipeline(pipeline, pipelineSource, diagnostics);
  checkFlagCatalogue(pipeline, pipelineSource, today, diagnostics);
  const schemas = await loadComponentSchemas(absolute, shownDir, pipeline, pipelineSource, diagnostics);

  for (const stage of stages) {
    checkStage(stage.definition, stage.source, diagnostics);
    // Stryker disable next-line ArrayDeclaration: a list holding only a string that is no stage name (stage names are lower-case words) decides like an empty one
    checkEndpoint(stage.definition, (pipeline.production ?? []).includes(stage.name), stage.source, diagnostics);
    checkVerify(stage.name, stage.definition, stage.source, diagnostics);
    checkFlagValues(stage.definition, pipeline, stage.source, today, diagnostics);
    checkComponentConfigs(stage.source, stage.definition.config ?? {}, pipeline, schemas, diagnostics);
  }
  for (const source of invalidStages) {
    // parseYaml gives no source for an empty document, so data is never null here.
    const config = (source.data as { config?: unknown }).config;
    if (isObject(config)) checkComponentConfigs(source, config, pipeline, schemas, diagnostics);
  }

  const sorted = sortDiagnostics(diagnostics.all);
  // Every stage file that did not load (missing, unreadable, unparsable, invalid) has left an error.
  if (diagnostics.errorCount > 0) return { diagnostics: sorted };
  const definitions: StageDefinition[] = stages.map((s) => ({ name: s.name, file: s.source.path, definition: s.definition }));
  const schemaObjects = Object.fromEntries(Object.entries(schemas).map(([name, s]) => [name, s.schema]));
  return { envs: { dir: absolute, pipeline, stages: definitions, schemas: schemaObjects }, diagnostics: sorted };
}

function checkComponentConfigs(
  source: SourceFile,
  config: Record<string, unknown>,
  pipeline: PipelineFile,
  schemas: Awaited<ReturnType<typeof loadComponentSchemas>>,
  diagnostics: Diagnostics,
): void {
  for (const name of Object.keys(config)) {
    if (!(name in pipeline.components)) {
      diagnostics.error(source, ["config", name], `"${name}" is not a component declared in pipeline.yaml (${Object.keys(pipeline.components).join(", ")})`, { key: true });
    }
  }
  for (const name of Object.keys(pipeline.components)) {
    const component = schemas[name];
    const value = config[name];
    if (value === undefined) {
      diagnostics.error(source, ["config"], `no configuration for component "${name}" in this stage`, { key: true });
      continue;
    }
    if (component && !component.validate(value)) {
      reportSchemaErrors(diagnostics, source, component.validate.errors, ["config", name]);
    }
  }
}

function checked<T>(source: SourceFile, validate: ValidateFunction, diagnostics: Diagnostics): T | undefined {
  if (validate(source.data)) return source.data as T;
  reportSchemaErrors(diagnostics, source, validate.errors);
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

async function envsDirectoryProblem(dir: string): Promise<string | undefined> {
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the envs directory the operator named with --envs
    if ((await stat(dir)).isDirectory()) return undefined;
    return "is a file, not the envs directory: --envs takes the directory that holds pipeline.yaml and the stage files";
  } catch {
    return "envs directory not found; run dcp from the repository root or pass --envs <dir>";
  }
}

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}
