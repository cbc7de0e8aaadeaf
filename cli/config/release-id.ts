import { createHash } from "node:crypto";
import type { StackConfig } from "../../infra/stack-config";

/**
 * JSON with object keys sorted at every level, so that the same configuration
 * always serialises to the same bytes whatever order its files were written in.
 * `known` may hold canonical texts already computed for some of the objects inside
 * `value` (the stage-wide parts that every stack of a stage shares).
 */
export function canonicalJson(value: unknown, known?: ReadonlyMap<object, string>): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  const cached = known?.get(value);
  if (cached !== undefined) return cached;
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v, known)).join(",")}]`;
  const parts: string[] = [];
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) parts.push(`${JSON.stringify(key)}:${canonicalJson(v, known)}`);
  }
  return `{${parts.join(",")}}`;
}

/**
 * The release id of a stack: a content hash of everything it deploys. Metadata
 * (who, when, what is deployed now) is left out, so that re-running a release whose
 * values did not change finds the same id and skips the stack.
 */
export function releaseIdOf(config: StackConfig, known?: ReadonlyMap<object, string>): string {
  const { metadata: _metadata, ...deployed } = config;
  return createHash("sha256").update(canonicalJson(deployed, known)).digest("hex").slice(0, 12);
}
