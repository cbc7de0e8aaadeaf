// The restJson1 plumbing shared by the AppConfig control plane and the Data API: a request
// already read off the wire, a path-template router, and JSON replies.
import type { IncomingHttpHeaders } from "node:http";
import { AwsError, badRequest } from "./errors";

export interface ApiRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly region: string;
}

export interface ApiResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: Buffer | string;
}

type Params = Record<string, string>;
export type Handler = (request: ApiRequest, params: Params) => ApiResponse | Promise<ApiResponse>;

interface Route {
  readonly method: string;
  readonly segments: readonly string[];
  readonly handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, template: string, handler: Handler): this {
    this.routes.push({ method, segments: template.split("/").filter(Boolean), handler });
    return this;
  }

  async dispatch(request: ApiRequest): Promise<ApiResponse> {
    const parts = request.path.split("/").filter(Boolean).map(decodeURIComponent);
    for (const route of this.routes) {
      const params = route.method === request.method ? match(route.segments, parts) : undefined;
      if (params) return route.handler(request, params);
    }
    // AWS answers an unknown route of a REST service with this error name.
    throw new AwsError("UnknownOperationException", 404, `No AppConfig operation for ${request.method} ${request.path}`);
  }
}

function match(template: readonly string[], parts: readonly string[]): Params | undefined {
  if (template.length !== parts.length) return undefined;
  const params: Params = {};
  for (const [index, segment] of template.entries()) {
    const part = parts[index] ?? "";
    if (segment.startsWith("{")) params[segment.slice(1, -1)] = part;
    else if (segment !== part) return undefined;
  }
  return params;
}

export function jsonBody(request: ApiRequest): Record<string, unknown> {
  if (request.body.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(request.body.toString("utf8"));
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw badRequest("The request body is not a JSON object");
}

export function json(status: number, body: unknown): ApiResponse {
  return { status, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}

export const noContent: ApiResponse = { status: 204 };

export function errorResponse(error: AwsError): ApiResponse {
  const body = { __type: error.code, Message: error.message, ...error.fields };
  return { status: error.status, headers: { "content-type": "application/json", "x-amzn-ErrorType": error.code }, body: JSON.stringify(body) };
}

// max_results / next_token as AppConfig's List* operations take them (opaque token: an offset).
export function page<T>(items: readonly T[], query: URLSearchParams): { Items: T[]; NextToken?: string } {
  const start = Number(query.get("next_token") ?? "0");
  const size = Number(query.get("max_results") ?? "50");
  if (!Number.isInteger(start) || start < 0 || !Number.isInteger(size) || size < 1 || size > 50) {
    throw badRequest("Invalid max_results or next_token");
  }
  const slice = items.slice(start, start + size);
  return start + size < items.length ? { Items: slice, NextToken: String(start + size) } : { Items: slice };
}

export function str(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw badRequest(`${key} must be a string`);
  return value;
}

export function requiredStr(body: Record<string, unknown>, key: string): string {
  const value = str(body, key);
  if (value === undefined || value === "") throw badRequest(`${key} is required`);
  return value;
}

export function num(body: Record<string, unknown>, key: string): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number") throw badRequest(`${key} must be a number`);
  return value;
}

export function tagMap(body: Record<string, unknown>, key = "Tags"): Record<string, string> {
  const value = body[key] ?? {};
  if (typeof value !== "object" || Array.isArray(value)) throw badRequest(`${key} must be a map`);
  return { ...(value as Record<string, string>) };
}
