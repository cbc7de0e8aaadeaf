import { HostedConfigurationVersion } from "@pulumi/aws/appconfig";
import { validateResourceOfType, type PolicyConfigSchema, type ResourceValidationPolicy } from "@pulumi/policy";
import { configOf } from "./config";
import { SECRET_ADVICE, findSecrets, findSecretsIn, type SecretFinding } from "./secret-patterns";

/** Secrets: configuration is readable by every host and person that can read AppConfig; secrets do not belong in it. */

const secretsSchema: PolicyConfigSchema = {
  properties: {
    ignoredKinds: {
      type: "array",
      items: { type: "string" },
      // Stryker disable next-line ArrayDeclaration: a default naming a kind no finding has ignores nothing, as the empty default does
      default: [],
      description: "Finding kinds not to report (e.g. high-entropy-string), for workloads whose config holds random-looking ids",
    },
  },
};

export const noSecretsInConfiguration: ResourceValidationPolicy = {
  name: "no-secrets-in-configuration",
  description: "No hosted configuration (feature flags or operational config) contains a secret-looking value: keys, tokens, passwords, private keys.",
  enforcementLevel: "mandatory",
  configSchema: secretsSchema,
  validateResource: validateResourceOfType(HostedConfigurationVersion, (version, args, reportViolation) => {
    const { ignoredKinds } = configOf<{ ignoredKinds: string[] }>(secretsSchema, args);
    if (typeof version.content !== "string") return;
    let findings: (SecretFinding & { path?: string })[];
    try {
      findings = findSecretsIn(JSON.parse(version.content));
    } catch {
      findings = findSecrets(version.content);
    }
    for (const finding of findings.filter((f) => !ignoredKinds.includes(f.kind))) {
      const where = finding.path !== undefined && finding.path !== "" ? `${finding.path} ` : "content ";
      reportViolation(`${where}${finding.reason} (${finding.kind}); ${SECRET_ADVICE}.`);
    }
  }),
};
