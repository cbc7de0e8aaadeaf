import { HostedConfigurationVersion } from "@pulumi/aws/appconfig";
import { validateResourceOfType, type PolicyConfigSchema, type ResourceValidationPolicy } from "@pulumi/policy";
import { configOf } from "./config";
import { classifyContent, isRecord } from "./content";
import { featureFlagProblems } from "./feature-flag-format";

/** Feature flags: the AppConfig feature-flag document a stage deploys. */

const formatSchema: PolicyConfigSchema = {
  properties: {
    maxProblemsReported: { type: "integer", minimum: 1, default: 20, description: "Report at most this many problems per document" },
  },
};

export const featureFlagsValidFormat: ResourceValidationPolicy = {
  name: "feature-flags-valid-format",
  description: "The feature-flag document is valid AppConfig feature-flag JSON (keys, attributes, constraints, values), so AppConfig accepts it mid-rollout.",
  enforcementLevel: "mandatory",
  configSchema: formatSchema,
  validateResource: validateResourceOfType(HostedConfigurationVersion, (version, args, reportViolation) => {
    const { maxProblemsReported } = configOf<{ maxProblemsReported: number }>(formatSchema, args);
    // Stryker disable next-line ArrayDeclaration: the flag document belongs to no component; a component name no resource is named after finds none either
    const content = classifyContent(args.name, version.contentType, version.content, []);
    if (content.kind !== "feature-flags") return;
    const problems = featureFlagProblems(content.document);
    for (const problem of problems.slice(0, maxProblemsReported)) reportViolation(`${problem}.`);
    if (problems.length > maxProblemsReported) reportViolation(`and ${problems.length - maxProblemsReported} more problems.`);
  }),
};

const expirySchema: PolicyConfigSchema = {
  properties: {
    production: { type: "boolean", default: false, description: "Whether this stage serves customers (pipeline.yaml `production`)" },
    expiries: { type: "object", default: {}, description: "Flag key → expiry date (YYYY-MM-DD) from the catalogue in pipeline.yaml" },
    today: { type: "string", description: "The date to judge expiry on (YYYY-MM-DD); defaults to today in UTC" },
  },
};

interface ExpiryConfig {
  production: boolean;
  expiries: Record<string, string>;
  today?: string;
}

export const noExpiredFlagsInProduction: ResourceValidationPolicy = {
  name: "no-expired-flags-in-production",
  description: "No feature flag past its expiry date (or marked for deprecation) is enabled in a production stage: expired flags are removed, not left on.",
  enforcementLevel: "mandatory",
  configSchema: expirySchema,
  validateResource: validateResourceOfType(HostedConfigurationVersion, (version, args, reportViolation) => {
    const { production, expiries, today } = configOf<ExpiryConfig>(expirySchema, args);
    if (!production) return;
    // Stryker disable next-line ArrayDeclaration: the flag document belongs to no component; a component name no resource is named after finds none either
    const content = classifyContent(args.name, version.contentType, version.content, []);
    if (content.kind !== "feature-flags") return;
    const { flags, values } = content.document;
    if (!isRecord(flags) || !isRecord(values)) return;
    const now = today ?? new Date().toISOString().slice(0, 10);
    for (const [key, value] of Object.entries(values)) {
      if (!isRecord(value) || value.enabled !== true) continue;
      const flag = flags[key];
      const expires = expiries[key];
      if (expires !== undefined && expires < now) {
        reportViolation(`flag "${key}" expired on ${expires} and is still enabled; switch it off or remove it from the catalogue.`);
      } else if (isRecord(flag) && isRecord(flag._deprecation)) {
        reportViolation(`flag "${key}" is marked for deprecation and is still enabled; switch it off or remove it.`);
      }
    }
  }),
};
