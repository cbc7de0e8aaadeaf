/**
 * What dcp writes where others read it (the terminal, --json lines, JUnit reports, error
 * messages) goes through the secret scanner first: a verify command's last line, an HTTP
 * body or an engine message may quote a token or the value of a credential variable.
 */
import { redactSecrets } from "../policies/secret-redaction";
import { secretValuesOf } from "./credential-variables";

export function redact(text: string, env: NodeJS.ProcessEnv = process.env): string {
  return redactSecrets(text, secretValuesOf(env));
}

/** A copy of plain data (an event, a report row) with every string in it redacted. */
export function redactAll<T>(value: T, env: NodeJS.ProcessEnv = process.env): T {
  const known = secretValuesOf(env);
  const walk = (item: unknown): unknown => {
    if (typeof item === "string") return redactSecrets(item, known);
    if (Array.isArray(item)) return item.map(walk);
    if (item !== null && typeof item === "object" && Object.getPrototypeOf(item) === Object.prototype) {
      return Object.fromEntries(Object.entries(item).map(([key, child]) => [key, walk(child)]));
    }
    return item;
  };
  return walk(value) as T;
}
