import { findSecretsIn, SECRET_ADVICE, type LocatedSecretFinding } from "../../policies/secret-patterns";
import type { Diagnostics } from "./diagnostics";
import type { SourceFile } from "./source";

/** Keys whose values are identifiers by definition: an account id or a role ARN is not a secret. */
const IDENTIFIER_KEYS = new Set(["account", "role", "endpoint"]);

/** Report every secret-looking string in a configuration file, once per value, at its own line. */
export function scanForSecrets(source: SourceFile, diagnostics: Diagnostics): void {
  const byValue = new Map<string, LocatedSecretFinding[]>();
  for (const finding of findSecretsIn(source.data)) {
    const [top] = finding.at;
    if (finding.at.length === 1 && typeof top === "string" && IDENTIFIER_KEYS.has(top)) continue;
    const key = JSON.stringify(finding.at);
    byValue.set(key, [...(byValue.get(key) ?? []), finding]);
  }
  for (const findings of byValue.values()) {
    const reasons = findings.map((f) => f.reason).join("; ");
    diagnostics.error(source, findings[0]!.at, `possible secret in configuration (${reasons}): configuration is deployed in clear text; ${SECRET_ADVICE}`);
  }
}
