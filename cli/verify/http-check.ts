/**
 * One synthetic HTTP request: the status, latency, body and JSON checks of an `http`
 * verify entry, with a per-request timeout. Real HTTP through Node's fetch.
 */
import { isDeepStrictEqual } from "node:util";
import type { HttpCheck } from "../config/formats/stage-file";
import type { CheckOutcome } from "./check-run";

export const DEFAULT_HTTP_TIMEOUT_MS = 10_000;
export const DEFAULT_HTTP_INTERVAL_SECONDS = 30;

export async function runHttpCheck(check: HttpCheck, url: string, signal: AbortSignal): Promise<CheckOutcome> {
  const method = check.method ?? "GET";
  const timeoutMs = check.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const target = method === "GET" ? url : `${method} ${url}`;
  const started = performance.now();
  const elapsedMs = () => Math.round(performance.now() - started);
  let status: number;
  let body: string;
  try {
    const response = await fetch(url, { method, signal: AbortSignal.any([signal, timeout]), headers: { "user-agent": "dcp-verify" } });
    status = response.status;
    // Read in full even when nothing checks it, so the connection is released.
    body = await response.text();
  } catch (error) {
    if (signal.aborted) return { outcome: "aborted" };
    const durationMs = elapsedMs();
    if (timeout.aborted) return { outcome: "failed", detail: `no response from ${target} within ${timeoutMs} ms`, durationMs };
    return { outcome: "failed", detail: `${target} failed after ${durationMs} ms: ${networkErrorOf(error)}`, durationMs };
  }
  const durationMs = elapsedMs();
  const failed = (why: string): CheckOutcome => ({ outcome: "failed", detail: `HTTP ${status} from ${target} after ${durationMs} ms, ${why}`, durationMs });

  const statusOk = check.expectStatus !== undefined ? status === check.expectStatus : Math.floor(status / 100) === 2;
  if (!statusOk) return failed(`expected ${check.expectStatus ?? "2xx"}`);
  if (check.latencyBudgetMs !== undefined && durationMs > check.latencyBudgetMs) return failed(`over the ${check.latencyBudgetMs} ms latency budget`);
  if (check.bodyContains !== undefined && !body.includes(check.bodyContains)) return failed(`body does not contain ${JSON.stringify(check.bodyContains)}`);
  if (check.jsonPath !== undefined) {
    const found = valueAt(body, check.jsonPath);
    if (!found.ok) return failed(found.why);
    if (!isDeepStrictEqual(found.value, check.equals)) {
      return failed(`${check.jsonPath} is ${JSON.stringify(found.value)}, expected ${JSON.stringify(check.equals)}`);
    }
  }
  return { outcome: "passed", detail: `HTTP ${status} from ${target} after ${durationMs} ms`, durationMs };
}

type Lookup = { ok: true; value: unknown } | { ok: false; why: string };

/** `$.checks.database`, `items[0].status`: the dotted paths the stage file's schema admits. */
function valueAt(body: string, jsonPath: string): Lookup {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { ok: false, why: `body is not JSON (${jsonPath} expected)` };
  }
  // Stryker disable next-line Regex: the schema admits a $ only at the start of the path
  const steps = jsonPath.replace(/^\$/, "");
  for (const [, key, index] of steps.matchAll(/\.?([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]/g)) {
    const step = key ?? Number(index);
    if (value === null || typeof value !== "object" || !(step in value)) return { ok: false, why: `${jsonPath} is missing from the body` };
    value = (value as Record<string | number, unknown>)[step];
  }
  return { ok: true, value };
}

/** fetch says only "fetch failed"; the cause says what happened (ECONNREFUSED, ENOTFOUND, a TLS error …). */
function networkErrorOf(error: unknown): string {
  // A system error's message names its code, e.g. "connect ECONNREFUSED 127.0.0.1:443".
  const cause = error instanceof Error ? (error.cause as { message?: string } | undefined) : undefined;
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
