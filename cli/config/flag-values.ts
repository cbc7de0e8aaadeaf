import { featureFlagsSchema } from "../../infra/appconfig/feature-flags-rules";
import type { AttributeDeclaration } from "../../infra/stack-config";
import type { Diagnostics } from "./diagnostics";
import { isExpired } from "./flag-catalogue";
import type { PipelineFile } from "./formats/pipeline-file";
import type { StageFile } from "./formats/stage-file";
import type { SourceFile } from "./source";

/** AppConfig's limit on a string attribute value, or on each string of a list (its FeatureFlags schema's attributeValue). */
const TEXT_MAX = featureFlagsSchema.definitions.attributeValue.oneOf[0].maxLength;

/** Every flag value of a stage against the catalogue: declared, typed, within its constraints. */
export function checkFlagValues(stage: StageFile, pipeline: PipelineFile, source: SourceFile, today: string, diagnostics: Diagnostics): void {
  const catalogue = pipeline.flags ?? {};
  for (const [key, value] of Object.entries(stage.flags ?? {})) {
    const declaration = catalogue[key];
    if (declaration === undefined) {
      diagnostics.error(source, ["flags", key], `flag "${key}" is not declared in pipeline.yaml's flags catalogue; declare it there (description, owner, components) first`, { key: true });
      continue;
    }
    if (value.enabled && isExpired(declaration, today)) {
      diagnostics.warning(source, ["flags", key, "enabled"], `flag "${key}" is enabled here but expired on ${declaration.expires}`);
    }
    const attributes = declaration.attributes ?? {};
    for (const [name, attributeValue] of Object.entries(value)) {
      if (name === "enabled") continue;
      const attribute = attributes[name];
      if (attribute === undefined) {
        const known = Object.keys(attributes);
        diagnostics.error(source, ["flags", key, name], `flag "${key}" has no attribute "${name}"${known.length ? `; its attributes are: ${known.join(", ")}` : ""}`, { key: true });
        continue;
      }
      const mismatch = attributeProblem(attribute, attributeValue);
      if (mismatch) diagnostics.error(source, ["flags", key, name], `flag "${key}" attribute "${name}": ${mismatch}`);
    }
    if (value.enabled) {
      for (const [name, attribute] of Object.entries(attributes)) {
        if (attribute.required && !(name in value)) {
          diagnostics.error(source, ["flags", key], `flag "${key}" is enabled but its required attribute "${name}" has no value`, { key: true });
        }
      }
    }
  }
}

/** Why a value does not satisfy an attribute declaration, or undefined when it does. */
export function attributeProblem(attribute: AttributeDeclaration, value: unknown): string | undefined {
  if (attribute.type.endsWith("[]")) {
    if (!Array.isArray(value)) return `expected a list of ${attribute.type.slice(0, -2)}s, got ${JSON.stringify(value)}`;
    // AppConfig's schema takes a list value as a list of strings or (oneOf) a list of
    // numbers: an empty list is both, so the document is refused.
    if (value.length === 0) return "an empty list, which AppConfig's feature flags cannot hold; give at least one element, or leave the attribute out";
    for (const element of value) {
      const problem = scalarProblem(attribute, attribute.type.slice(0, -2), element);
      if (problem) return problem;
    }
    return undefined;
  }
  return scalarProblem(attribute, attribute.type, value);
}

function scalarProblem(attribute: AttributeDeclaration, type: string, value: unknown): string | undefined {
  if (typeof value !== type) return `expected a ${type}, got ${JSON.stringify(value)}`;
  if (typeof value === "string" && value.length > TEXT_MAX) return `a string of ${value.length} characters; AppConfig holds attribute strings of at most ${TEXT_MAX}`;
  if (attribute.enum && !attribute.enum.includes(value as string | number)) {
    return `expected one of ${attribute.enum.map((v) => JSON.stringify(v)).join(", ")}, got ${JSON.stringify(value)}`;
  }
  if (typeof value === "number") {
    if (attribute.minimum !== undefined && value < attribute.minimum) return `${value} is below the minimum ${attribute.minimum}`;
    if (attribute.maximum !== undefined && value > attribute.maximum) return `${value} is above the maximum ${attribute.maximum}`;
  }
  if (typeof value === "string" && attribute.pattern !== undefined && !safeTest(attribute.pattern, value)) {
    return `"${value}" does not match the pattern ${attribute.pattern}`;
  }
  return undefined;
}

function safeTest(pattern: string, value: string): boolean {
  try {
    // eslint-disable-next-line security/detect-non-literal-regexp -- a flag attribute's pattern from the reviewed catalogue in pipeline.yaml; AppConfig applies the same one
    return new RegExp(pattern).test(value);
  } catch {
    return true; // an invalid pattern is reported once, at its declaration
  }
}
