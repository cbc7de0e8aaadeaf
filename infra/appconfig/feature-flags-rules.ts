import Ajv, { type Options, type ValidateFunction } from "ajv";
import { compiledValidator, type ValidatorSpec } from "../compiled-validator";
import type { AttributeConstraints, ElementConstraints, FeatureFlagsDocument } from "./feature-flags";

const KEY = "^[a-z][a-zA-Z\\d_-]{0,63}$";

/**
 * AppConfig's published JSON Schema for AWS.AppConfig.FeatureFlags documents, as far as
 * its documentation establishes it: keys of at most 64 characters starting with a
 * lower-case letter, at most 25 attributes per flag (the page sets no cap on the number of
 * flags; older versions of it said 100, which dcp no longer imposes), four constraint
 * kinds (number with integer bounds, string with a pattern or an enum but not both,
 * boolean, array of numbers or strings), `_deprecation` with status "planned" only.
 * https://docs.aws.amazon.com/appconfig/latest/userguide/appconfig-type-reference-feature-flags.html
 */
export const featureFlagsSchema = {
  type: "object",
  required: ["version"],
  additionalProperties: false,
  properties: {
    version: { type: "string", enum: ["1"] },
    flags: {
      type: "object",
      patternProperties: { [KEY]: { $ref: "#/definitions/flagDefinition" } },
      additionalProperties: false,
    },
    values: {
      type: "object",
      patternProperties: { [KEY]: { $ref: "#/definitions/flagValue" } },
      additionalProperties: false,
    },
  },
  definitions: {
    flagDefinition: {
      type: "object",
      additionalProperties: false,
      properties: {
        name: { type: "string", pattern: "^[^\\n]{1,64}$" },
        description: { type: "string", maxLength: 1024 },
        _createdAt: { type: "string" },
        _updatedAt: { type: "string" },
        _deprecation: {
          type: "object",
          additionalProperties: false,
          properties: { status: { type: "string", enum: ["planned"] } },
        },
        attributes: {
          type: "object",
          maxProperties: 25,
          patternProperties: { [KEY]: { $ref: "#/definitions/attributeDefinition" } },
          additionalProperties: false,
        },
      },
    },
    attributeDefinition: {
      type: "object",
      additionalProperties: false,
      properties: {
        description: { type: "string", maxLength: 1024 },
        constraints: {
          oneOf: [
            { $ref: "#/definitions/numberConstraints" },
            { $ref: "#/definitions/stringConstraints" },
            { $ref: "#/definitions/arrayConstraints" },
            { $ref: "#/definitions/boolConstraints" },
          ],
        },
      },
    },
    numberConstraints: {
      type: "object",
      required: ["type"],
      additionalProperties: false,
      properties: {
        type: { enum: ["number"] },
        required: { type: "boolean" },
        minimum: { type: "integer" },
        maximum: { type: "integer" },
      },
    },
    stringConstraints: {
      type: "object",
      required: ["type"],
      additionalProperties: false,
      not: { required: ["pattern", "enum"] },
      properties: {
        type: { enum: ["string"] },
        required: { type: "boolean" },
        pattern: { type: "string", maxLength: 1024 },
        enum: {
          type: "array",
          maxItems: 100,
          items: { oneOf: [{ type: "string", maxLength: 1024 }, { type: "integer" }] },
        },
      },
    },
    arrayConstraints: {
      type: "object",
      required: ["type"],
      additionalProperties: false,
      properties: {
        type: { enum: ["array"] },
        required: { type: "boolean" },
        elements: { oneOf: [{ $ref: "#/definitions/numberConstraints" }, { $ref: "#/definitions/stringConstraints" }] },
      },
    },
    boolConstraints: {
      type: "object",
      required: ["type"],
      additionalProperties: false,
      properties: { type: { enum: ["boolean"] }, required: { type: "boolean" } },
    },
    flagValue: {
      type: "object",
      required: ["enabled"],
      additionalProperties: false,
      properties: { enabled: { type: "boolean" }, _createdAt: { type: "string" }, _updatedAt: { type: "string" } },
      patternProperties: { [KEY]: { $ref: "#/definitions/attributeValue" } },
    },
    attributeValue: {
      oneOf: [
        { type: "string", maxLength: 1024 },
        { type: "number" },
        { type: "boolean" },
        { type: "array", items: { type: "string", maxLength: 1024 } },
        { type: "array", items: { type: "number" } },
      ],
    },
  },
} as const;

export const FEATURE_FLAGS_VALIDATOR: ValidatorSpec = {
  id: "feature-flags",
  schema: featureFlagsSchema,
  ajv: (extra?: Options) => new Ajv({ allErrors: true, allowMatchingProperties: true, ...extra }),
};

let validateShape: ValidateFunction | undefined;

/**
 * Everything AppConfig would reject in a feature-flag document: the schema above, plus
 * what a schema cannot say: values of undeclared flags or attributes, values outside
 * their constraints, and required attributes missing from an enabled flag.
 */
export function featureFlagsViolations(document: unknown): string[] {
  validateShape ??= compiledValidator(FEATURE_FLAGS_VALIDATOR);
  if (!validateShape(document)) {
    return (validateShape.errors ?? []).map((error) => `${error.instancePath || "/"} ${error.message ?? "is invalid"}`);
  }
  return valueViolations(document as Partial<FeatureFlagsDocument>);
}

function valueViolations(document: Partial<FeatureFlagsDocument>): string[] {
  const violations: string[] = [];
  for (const [key, value] of Object.entries(document.values ?? {})) {
    const flag = document.flags?.[key];
    if (flag === undefined) {
      violations.push(`/values/${key} has a value but no flag definition`);
      continue;
    }
    const attributes = flag.attributes ?? {};
    for (const [name, attributeValue] of Object.entries(value)) {
      if (name === "enabled" || name.startsWith("_")) continue;
      const definition = attributes[name];
      if (definition === undefined) {
        violations.push(`/values/${key}/${name} is not an attribute of flag ${key}`);
        continue;
      }
      const problem = constraintViolation(definition.constraints, attributeValue);
      if (problem !== undefined) violations.push(`/values/${key}/${name} ${problem}`);
    }
    for (const [name, definition] of Object.entries(attributes)) {
      if (value.enabled && definition.constraints.required === true && value[name] === undefined) {
        violations.push(`/values/${key} is enabled but lacks its required attribute ${name}`);
      }
    }
  }
  return violations;
}

function constraintViolation(constraints: AttributeConstraints, value: unknown): string | undefined {
  if (constraints.type === "boolean") return typeof value === "boolean" ? undefined : "must be a boolean";
  if (constraints.type === "array") {
    if (!Array.isArray(value)) return "must be an array";
    if (constraints.elements === undefined) return undefined;
    const elements = constraints.elements;
    return value.map((element) => elementViolation(elements, element)).find((problem) => problem !== undefined);
  }
  return elementViolation(constraints, value);
}

function elementViolation(constraints: ElementConstraints, value: unknown): string | undefined {
  if (constraints.type === "number") {
    if (typeof value !== "number") return "must be a number";
    if (constraints.minimum !== undefined && value < constraints.minimum) return `must be >= ${constraints.minimum}`;
    if (constraints.maximum !== undefined && value > constraints.maximum) return `must be <= ${constraints.maximum}`;
    return undefined;
  }
  if (typeof value !== "string") return "must be a string";
  // eslint-disable-next-line security/detect-non-literal-regexp -- a flag attribute's pattern from the reviewed catalogue in pipeline.yaml; AppConfig applies the same one
  if (constraints.pattern !== undefined && !new RegExp(constraints.pattern).test(value)) {
    return `must match ${constraints.pattern}`;
  }
  if (constraints.enum !== undefined && !constraints.enum.includes(value)) {
    return `must be one of ${constraints.enum.join(", ")}`;
  }
  return undefined;
}
