import { HostedConfigurationVersion, ConfigurationProfile } from "@pulumi/aws/appconfig";
import { validateResourceOfType, type PolicyConfigSchema, type ResourceValidationPolicy } from "@pulumi/policy";
import { componentValidator } from "./component-validator";
import { configOf } from "./config";
import { classifyContent, componentNamed, isRecord, valueAt } from "./content";

/** Operational config: what each component's hosted configuration may contain. */

const productionSchema = {
  type: "boolean",
  default: false,
  description: "Whether this stage serves customers (pipeline.yaml `production`)",
} as const;

const noDebugLoggingSchema: PolicyConfigSchema = {
  properties: {
    production: productionSchema,
    forbiddenLogLevels: { type: "array", items: { type: "string" }, default: ["DEBUG", "TRACE"] },
  },
};

/** Every log level in a config, wherever it sits: `logLevel` at the top or in a nested section. */
function logLevels(value: unknown, path = ""): { path: string; level: string }[] {
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, item]) => {
    const at = path === "" ? key : `${path}.${key}`;
    if (typeof item === "string" && /^log_?level$/i.test(key)) return [{ path: at, level: item }];
    return logLevels(item, at);
  });
}

export const noDebugLoggingInProduction: ResourceValidationPolicy = {
  name: "no-debug-logging-in-production",
  description: "A production stage never runs DEBUG or TRACE logging: it floods logs, costs money and can write customer data.",
  enforcementLevel: "mandatory",
  configSchema: noDebugLoggingSchema,
  validateResource: validateResourceOfType(HostedConfigurationVersion, (version, args, reportViolation) => {
    const { production, forbiddenLogLevels } = configOf<{ production: boolean; forbiddenLogLevels: string[] }>(noDebugLoggingSchema, args);
    if (!production) return;
    // Stryker disable next-line ArrayDeclaration: log levels are checked in every component's config; a component name no resource is named after changes nothing
    const content = classifyContent(args.name, version.contentType, version.content, []);
    if (content.kind !== "component") return;
    const forbidden = new Set(forbiddenLogLevels.map((level) => level.toUpperCase()));
    for (const { path, level } of logLevels(content.config)) {
      if (forbidden.has(level.toUpperCase())) {
        reportViolation(`${path} is ${level} in a production stage; use INFO or higher (allowed here: not ${forbiddenLogLevels.join(", ")}).`);
      }
    }
  }),
};

interface Bounds {
  minimum?: number;
  maximum?: number;
}

/** Path → bounds, per component; "*" applies to components without their own entry. */
type LimitTable = Record<string, Record<string, Bounds>>;

export const DEFAULT_LIMITS: Record<string, Bounds> = {
  "throttling.requestsPerSecond": { minimum: 1, maximum: 100000 },
  "throttling.burst": { minimum: 1, maximum: 200000 },
  "connections.max": { minimum: 1, maximum: 10000 },
  "connections.idleTimeoutSeconds": { minimum: 1, maximum: 3600 },
};

const limitsSchema: PolicyConfigSchema = {
  properties: {
    limits: {
      type: "object",
      description: 'Component ("*" for any) → dotted path → {minimum, maximum}',
      default: { "*": DEFAULT_LIMITS },
    },
  },
};

export const operationalLimitsInBounds: ResourceValidationPolicy = {
  name: "operational-limits-in-bounds",
  description:
    "Throttling and connection limits stay within the bounds set for the stage, and a burst is never below the sustained rate.",
  enforcementLevel: "mandatory",
  configSchema: limitsSchema,
  validateResource: validateResourceOfType(HostedConfigurationVersion, (version, args, reportViolation) => {
    const { limits } = configOf<{ limits: LimitTable }>(limitsSchema, args);
    // Stryker disable next-line MethodExpression,ConditionalExpression,StringLiteral: "*" read as a component matches only a resource name made of nothing but separators
    const components = Object.keys(limits).filter((key) => key !== "*");
    const content = classifyContent(args.name, version.contentType, version.content, components);
    if (content.kind !== "component") return;
    const table = (content.component !== undefined ? limits[content.component] : undefined) ?? limits["*"] ?? {};
    for (const [path, { minimum, maximum }] of Object.entries(table)) {
      const value = valueAt(content.config, path);
      if (value === undefined) continue;
      if (typeof value !== "number") {
        reportViolation(`${path} is ${JSON.stringify(value)}, expected a number.`);
      } else if (minimum !== undefined && value < minimum) {
        reportViolation(`${path} = ${value} is below the minimum ${minimum}.`);
      } else if (maximum !== undefined && value > maximum) {
        reportViolation(`${path} = ${value} is above the maximum ${maximum}.`);
      }
    }
    const rate = valueAt(content.config, "throttling.requestsPerSecond");
    const burst = valueAt(content.config, "throttling.burst");
    if (typeof rate === "number" && typeof burst === "number" && burst < rate) {
      reportViolation(`throttling.burst = ${burst} is below throttling.requestsPerSecond = ${rate}: the burst would throttle sustained traffic.`);
    }
  }),
};

const schemasSchema: PolicyConfigSchema = {
  properties: {
    schemas: { type: "object", description: "Component → its JSON Schema (draft-04), from envs/schemas", default: {} },
  },
};

export const componentConfigMatchesSchema: ResourceValidationPolicy = {
  name: "component-config-matches-schema",
  description: "Every component's operational config is valid JSON and validates against the component's JSON Schema.",
  enforcementLevel: "mandatory",
  configSchema: schemasSchema,
  validateResource: validateResourceOfType(HostedConfigurationVersion, (version, args, reportViolation) => {
    const { schemas } = configOf<{ schemas: Record<string, object> }>(schemasSchema, args);
    const content = classifyContent(args.name, version.contentType, version.content, Object.keys(schemas));
    if (content.kind === "not-json") {
      reportViolation(`content is declared as ${version.contentType} but is not valid JSON: ${content.error}`);
      return;
    }
    if (content.kind !== "component" || Object.keys(schemas).length === 0) return;
    if (content.component === undefined) {
      reportViolation(`content belongs to no known component (${Object.keys(schemas).join(", ")}); name the version after its component.`);
      return;
    }
    const validate = componentValidator(schemas[content.component] ?? {});
    if (validate(content.config)) return;
    for (const error of validate.errors ?? []) {
      const at = error.instancePath === "" ? "(top level)" : error.instancePath.slice(1).replaceAll("/", ".");
      // Stryker disable next-line StringLiteral: ajv sets a message on every error it reports; the fallback only satisfies the type
      reportViolation(`${content.component} config ${at} ${error.message ?? "is invalid"}.`);
    }
  }),
};

/** Key order differs between a schema file and its serialisation in a program; meaning does not: keys are sorted, lists keep their order. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, canonical(value[key])]),
  );
}

function parsesTo(json: string | undefined, expected: unknown): boolean {
  try {
    // Stryker disable next-line StringLiteral: without content there is no schema; JSON.parse("") throws, which also reads as "not the schema"
    return JSON.stringify(canonical(JSON.parse(json ?? "null"))) === JSON.stringify(canonical(expected));
  }
  // Stryker disable next-line BlockStatement: an empty catch returns undefined, as falsy as false to the one caller
  catch {
    return false;
  }
}

export const componentProfileHasSchemaValidator: ResourceValidationPolicy = {
  name: "component-profile-has-schema-validator",
  description:
    "Every freeform configuration profile carries a JSON_SCHEMA validator (the component's schema), so AppConfig itself refuses invalid config.",
  enforcementLevel: "mandatory",
  configSchema: schemasSchema,
  validateResource: validateResourceOfType(ConfigurationProfile, (profile, args, reportViolation) => {
    if ((profile.type ?? "AWS.Freeform") !== "AWS.Freeform") return;
    const { schemas } = configOf<{ schemas: Record<string, object> }>(schemasSchema, args);
    const validators = (profile.validators ?? []).filter((validator) => validator.type === "JSON_SCHEMA");
    if (validators.length === 0) {
      reportViolation("freeform profile has no JSON_SCHEMA validator: AppConfig would deploy config that breaks the component's schema.");
      return;
    }
    // Stryker disable next-line StringLiteral: an unnamed profile; a placeholder name no component is named after finds none, as the empty name does
    const component = componentNamed(args.name, Object.keys(schemas)) ?? componentNamed(profile.name ?? "", Object.keys(schemas));
    const expected = component !== undefined ? schemas[component] : undefined;
    if (expected === undefined) return;
    if (!validators.some((validator) => parsesTo(validator.content, expected))) {
      reportViolation(`the JSON_SCHEMA validator is not the ${component} schema from envs/schemas: AppConfig would check the wrong rules.`);
    }
  }),
};
