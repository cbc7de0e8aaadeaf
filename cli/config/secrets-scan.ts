import { findSecrets, SECRET_ADVICE } from "../../policies/secret-patterns";
import type { Diagnostics } from "./diagnostics";
import type { JsonPath, SourceFile } from "./source";

/** Keys whose values are identifiers by definition: an account id or a role ARN is not a secret. */
const IDENTIFIER_KEYS = new Set(["account", "role", "endpoint"]);

/** Report every secret-looking string in a configuration file, at its own line. */
export function scanForSecrets(source: SourceFile, diagnostics: Diagnostics): void {
  walk(source.data, []);

  function walk(value: unknown, path: JsonPath): void {
    if (typeof value === "string") {
      const key = path.at(-1);
      if (path.length === 1 && typeof key === "string" && IDENTIFIER_KEYS.has(key)) return;
      const findings = findSecrets(value, typeof key === "string" ? key : undefined);
      if (findings.length > 0) {
        const reasons = findings.map((f) => f.reason).join("; ");
        diagnostics.error(source, path, `possible secret in configuration (${reasons}): configuration is deployed in clear text; ${SECRET_ADVICE}`);
      }
      return;
    }
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i]));
    else if (value !== null && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
    }
  }
}
