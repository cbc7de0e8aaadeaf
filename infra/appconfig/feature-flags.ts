import type { AttributeDeclaration, StackConfig } from "../stack-config";

/**
 * AppConfig's feature-flag document (profile type AWS.AppConfig.FeatureFlags,
 * format version "1"): flag definitions with typed, constrained attributes, and
 * this stage's values.
 * https://docs.aws.amazon.com/appconfig/latest/userguide/appconfig-type-reference-feature-flags.html
 */
export interface FeatureFlagsDocument {
  version: "1";
  flags: Record<string, FlagDefinition>;
  values: Record<string, FlagValueEntry>;
}

export interface FlagDefinition {
  name: string;
  description?: string;
  _deprecation?: { status: "planned" };
  attributes?: Record<string, AttributeDefinition>;
}

export interface AttributeDefinition {
  description?: string;
  constraints: AttributeConstraints;
}

export type ElementConstraints =
  | { type: "number"; minimum?: number; maximum?: number }
  | { type: "string"; pattern?: string; enum?: (string | number)[] };

export type AttributeConstraints =
  | (ElementConstraints & { required?: boolean })
  | { type: "boolean"; required?: boolean }
  | { type: "array"; required?: boolean; elements?: ElementConstraints };

export type AttributeValue = string | number | boolean | string[] | number[];

export type FlagValueEntry = { enabled: boolean } & { [attribute: string]: AttributeValue };

type StackFlags = StackConfig["flags"];

/**
 * Renders the stage's flags in AppConfig's format. `asOf` (YYYY-MM-DD) decides which
 * flags are past their expiry date: those are marked `_deprecation: planned`, which
 * AppConfig shows as a warning to the flag's users, without switching anything off.
 */
export function renderFeatureFlags(flags: StackFlags, asOf: string): FeatureFlagsDocument {
  const document: FeatureFlagsDocument = { version: "1", flags: {}, values: {} };
  for (const [key, { declaration, value }] of Object.entries(flags)) {
    const definition: FlagDefinition = { name: declaration.name ?? key, description: declaration.description };
    if (declaration.expires !== undefined && declaration.expires <= asOf) {
      definition._deprecation = { status: "planned" };
    }
    const attributes = Object.entries(declaration.attributes ?? {});
    if (attributes.length > 0) {
      definition.attributes = Object.fromEntries(
        attributes.map(([name, attribute]) => [name, attributeDefinition(key, name, attribute)]),
      );
    }
    document.flags[key] = definition;
    document.values[key] = value as FlagValueEntry;
  }
  return document;
}

/** The constraints AppConfig can express for each attribute type; anything else is refused, never dropped. */
export const EXPRESSIBLE_CONSTRAINTS: Record<AttributeDeclaration["type"], readonly string[]> = {
  boolean: [],
  number: ["minimum", "maximum"],
  "number[]": ["minimum", "maximum"],
  string: ["pattern", "enum"],
  "string[]": ["pattern", "enum"],
};

function attributeDefinition(flag: string, name: string, attribute: AttributeDeclaration): AttributeDefinition {
  const expressible = EXPRESSIBLE_CONSTRAINTS[attribute.type];
  for (const constraint of ["minimum", "maximum", "pattern", "enum"] as const) {
    if (attribute[constraint] !== undefined && !expressible.includes(constraint)) {
      throw new Error(
        `flag ${flag}, attribute ${name}: AppConfig cannot constrain a ${attribute.type} attribute with ${constraint}`,
      );
    }
  }
  const definition: AttributeDefinition = { constraints: attributeConstraints(attribute) };
  if (attribute.description !== undefined) definition.description = attribute.description;
  return definition;
}

function attributeConstraints(attribute: AttributeDeclaration): AttributeConstraints {
  const required = attribute.required !== undefined ? { required: attribute.required } : {};
  switch (attribute.type) {
    case "boolean":
      return { type: "boolean", ...required };
    case "number":
      return { ...numberConstraints(attribute), ...required };
    case "string":
      return { ...stringConstraints(attribute), ...required };
    case "number[]":
      return { type: "array", ...required, elements: numberConstraints(attribute) };
    case "string[]":
      return { type: "array", ...required, elements: stringConstraints(attribute) };
  }
}

function numberConstraints(attribute: AttributeDeclaration): ElementConstraints {
  return {
    type: "number",
    ...(attribute.minimum !== undefined && { minimum: attribute.minimum }),
    ...(attribute.maximum !== undefined && { maximum: attribute.maximum }),
  };
}

function stringConstraints(attribute: AttributeDeclaration): ElementConstraints {
  return {
    type: "string",
    ...(attribute.pattern !== undefined && { pattern: attribute.pattern }),
    ...(attribute.enum !== undefined && { enum: [...attribute.enum] }),
  };
}
