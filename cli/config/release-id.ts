import { createHash } from "node:crypto";
import type { StackConfig } from "../../infra/stack-config";

/**
 * JSON with object keys sorted at every level, so that the same configuration
 * always serialises to the same bytes whatever order its files were written in.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) sorted[key] = sortKeys(v);
    }
    return sorted;
  }
  return value;
}

/**
 * The release id of a stack: a content hash of everything it deploys. Metadata
 * (who, when, what is deployed now) is left out, so that re-running a release whose
 * values did not change finds the same id and skips the stack.
 */
export function releaseIdOf(config: StackConfig): string {
  const { metadata: _metadata, ...deployed } = config;
  return createHash("sha256").update(canonicalJson(deployed)).digest("hex").slice(0, 12);
}
