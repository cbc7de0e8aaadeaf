import { isRecord } from "./content";

/**
 * AppConfig's feature-flag document format (profile type AWS.AppConfig.FeatureFlags),
 * as far as AWS documents it: AppConfig rejects a version that breaks these rules at
 * deploy time, mid-rollout; the policy rejects it at preview.
 */

const KEY = /^[a-z][a-zA-Z0-9_-]{0,63}$/;
const MAX_FLAGS = 100;
const MAX_ATTRIBUTES = 25;
const CONSTRAINT_TYPES = ["number", "string", "boolean", "array"] as const;

/** One attribute's constraints; arrays constrain their elements with a number or string constraint. */
interface Constraints {
  type: (typeof CONSTRAINT_TYPES)[number];
  required?: boolean;
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  elements?: Constraints;
}

function describe(value: unknown): string {
  return Array.isArray(value) ? "an array" : value === null ? "null" : typeof value;
}

function checkConstraints(where: string, constraints: unknown, element = false): string[] {
  if (!isRecord(constraints)) return [`${where}: constraints must be an object with a type`];
  const allowed = element ? ["number", "string"] : CONSTRAINT_TYPES;
  const { type } = constraints;
  if (!allowed.includes(type as Constraints["type"])) {
    return [`${where}: constraint type ${JSON.stringify(type)} is not one of ${allowed.join(", ")}`];
  }
  const problems: string[] = [];
  if (type !== "string" && (constraints.pattern !== undefined || constraints.enum !== undefined)) {
    problems.push(`${where}: pattern and enum apply only to string attributes`);
  }
  if (constraints.pattern !== undefined && constraints.enum !== undefined) problems.push(`${where}: use a pattern or an enum, not both`);
  if (constraints.enum !== undefined && (!Array.isArray(constraints.enum) || constraints.enum.length === 0 || constraints.enum.length > 100)) {
    problems.push(`${where}: enum must list 1 to 100 values`);
  }
  for (const bound of ["minimum", "maximum"] as const) {
    const value = constraints[bound];
    if (value === undefined) continue;
    if (type !== "number") problems.push(`${where}: ${bound} applies only to number attributes`);
    else if (!Number.isInteger(value)) problems.push(`${where}: ${bound} must be an integer`);
  }
  if (typeof constraints.minimum === "number" && typeof constraints.maximum === "number" && constraints.minimum > constraints.maximum) {
    problems.push(`${where}: minimum ${constraints.minimum} is above maximum ${constraints.maximum}`);
  }
  if (type === "array" && constraints.elements !== undefined) problems.push(...checkConstraints(`${where} elements`, constraints.elements, true));
  if (type !== "array" && constraints.elements !== undefined) problems.push(`${where}: elements applies only to array attributes`);
  return problems;
}

function scalarProblem(where: string, value: unknown, c: Constraints): string | undefined {
  if (typeof value !== c.type) return `${where} is ${describe(value)}, expected ${c.type}`;
  if (typeof value === "string" && value.length > 1024) return `${where} is longer than 1024 characters`;
  if (c.enum !== undefined && !c.enum.includes(value)) return `${where} = ${JSON.stringify(value)} is not one of ${JSON.stringify(c.enum)}`;
  // eslint-disable-next-line security/detect-non-literal-regexp -- the pattern the flag profile itself declares, the one AppConfig applies; values are capped at 1024 characters above
  if (typeof value === "string" && c.pattern !== undefined && !new RegExp(c.pattern).test(value)) {
    return `${where} = ${JSON.stringify(value)} does not match ${c.pattern}`;
  }
  if (typeof value === "number" && c.minimum !== undefined && value < c.minimum) return `${where} = ${value} is below the minimum ${c.minimum}`;
  if (typeof value === "number" && c.maximum !== undefined && value > c.maximum) return `${where} = ${value} is above the maximum ${c.maximum}`;
  return undefined;
}

function valueProblems(where: string, value: unknown, c: Constraints): string[] {
  if (c.type !== "array") return [scalarProblem(where, value, c)].filter((p): p is string => p !== undefined);
  if (!Array.isArray(value)) return [`${where} is ${describe(value)}, expected an array`];
  const kinds = new Set(value.map((item) => typeof item));
  if (kinds.size > 1 || (kinds.size === 1 && !kinds.has("string") && !kinds.has("number"))) {
    return [`${where} must be an array of strings or an array of numbers`];
  }
  const elements = c.elements;
  return elements === undefined ? [] : value.flatMap((item, i) => scalarProblem(`${where}[${i}]`, item, elements) ?? []);
}

function flagProblems(key: string, flag: unknown, value: unknown): string[] {
  const where = `flag "${key}"`;
  if (!KEY.test(key)) return [`${where}: key must start with a lower-case letter and have at most 64 letters, digits, "-" or "_"`];
  if (!isRecord(flag)) return [`${where} must be an object`];
  const problems: string[] = [];
  if (typeof flag.name !== "string" || flag.name.length === 0 || flag.name.length > 64) problems.push(`${where} needs a name of 1 to 64 characters`);
  if (flag.description !== undefined && (typeof flag.description !== "string" || flag.description.length > 1024)) {
    problems.push(`${where}: description must be a string of at most 1024 characters`);
  }
  if (flag._deprecation !== undefined && !(isRecord(flag._deprecation) && flag._deprecation.status === "planned")) {
    problems.push(`${where}: _deprecation must have status "planned"`);
  }
  const attributes = isRecord(flag.attributes) ? flag.attributes : {};
  if (flag.attributes !== undefined && !isRecord(flag.attributes)) problems.push(`${where}: attributes must be an object`);
  if (Object.keys(attributes).length > MAX_ATTRIBUTES) problems.push(`${where} has more than ${MAX_ATTRIBUTES} attributes`);
  const declared = new Map<string, Constraints>();
  for (const [name, attribute] of Object.entries(attributes)) {
    const at = `${where} attribute "${name}"`;
    if (!KEY.test(name)) problems.push(`${at}: name must start with a lower-case letter`);
    const constraintProblems = checkConstraints(at, isRecord(attribute) ? attribute.constraints : undefined);
    problems.push(...constraintProblems);
    if (constraintProblems.length === 0 && isRecord(attribute)) declared.set(name, attribute.constraints as Constraints);
  }
  if (!isRecord(value)) return [...problems, `${where} has no entry in values`];
  if (typeof value.enabled !== "boolean") problems.push(`${where}: values.enabled must be true or false`);
  for (const [name, attributeValue] of Object.entries(value)) {
    if (name === "enabled" || name.startsWith("_")) continue;
    const constraints = declared.get(name);
    if (constraints === undefined) {
      if (!(name in attributes)) problems.push(`${where}: value for undeclared attribute "${name}"`);
      continue;
    }
    problems.push(...valueProblems(`${where} attribute "${name}"`, attributeValue, constraints));
  }
  // A switched-off flag may omit required attributes: nothing reads them until it is on.
  for (const [name, constraints] of declared) {
    if (value.enabled === true && constraints.required === true && !(name in value)) problems.push(`${where}: required attribute "${name}" has no value`);
  }
  return problems;
}

/** Every way `document` breaks AppConfig's feature-flag format; empty when it is valid. */
export function featureFlagProblems(document: unknown): string[] {
  if (!isRecord(document)) return ["the document must be a JSON object"];
  const problems: string[] = [];
  if (document.version !== "1") problems.push(`version must be "1", found ${JSON.stringify(document.version)}`);
  if (!isRecord(document.flags)) problems.push("flags must be an object");
  if (!isRecord(document.values)) problems.push("values must be an object");
  const flags = isRecord(document.flags) ? document.flags : {};
  if (Object.keys(flags).length > MAX_FLAGS) problems.push(`more than ${MAX_FLAGS} flags in one profile`);
  const values = isRecord(document.values) ? document.values : {};
  for (const [key, flag] of Object.entries(flags)) problems.push(...flagProblems(key, flag, values[key]));
  for (const key of Object.keys(values)) {
    if (!(key in flags)) problems.push(`values has an entry for "${key}", which is not a declared flag`);
  }
  return problems;
}
