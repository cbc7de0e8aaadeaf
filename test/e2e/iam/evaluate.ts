/**
 * A small IAM policy evaluator for tests, following the IAM User Guide's "Policy evaluation
 * logic" for one identity policy set: an explicit Deny wins, then any Allow, else the implicit
 * deny. It knows the policy grammar dcp generates and a little more: Action/NotAction and
 * Resource/NotResource with `*` and `?` wildcards (actions case-insensitively, ARNs segment by
 * segment as ArnLike does), and the condition operators StringEquals, StringNotEquals,
 * StringLike, StringNotLike, ArnEquals, ArnLike, Null, with `IfExists` and the
 * `ForAllValues:`/`ForAnyValue:` set qualifiers ("IAM JSON policy elements: Condition operators",
 * "Multivalued context keys"). Unknown operators throw, so a policy cannot pass by being misread.
 */
import type { ConditionBlock, PolicyDocument, PolicyStatement } from "../../../cli/iam/policy-document";

export type ContextValue = string | string[];

export interface AuthorizationRequest {
  /** `service:Action` */
  action: string;
  /** The resource's ARN; "*" for an action that names none. */
  resource: string;
  /** Condition keys present in the request (`aws:RequestTag/workload`, `iam:PassedToService`, …). */
  context?: Record<string, ContextValue>;
}

export type Decision = "allow" | "explicit-deny" | "implicit-deny";

export function evaluate(policies: PolicyDocument[], request: AuthorizationRequest): Decision {
  const statements = policies.flatMap((document) => document.Statement);
  const applies = statements.filter((statement) => matches(statement, request));
  if (applies.some((statement) => statement.Effect === "Deny")) return "explicit-deny";
  return applies.some((statement) => statement.Effect === "Allow") ? "allow" : "implicit-deny";
}

export function isAllowed(policies: PolicyDocument[], request: AuthorizationRequest): boolean {
  return evaluate(policies, request) === "allow";
}

function matches(statement: PolicyStatement, request: AuthorizationRequest): boolean {
  return (
    element(statement.Action, statement.NotAction, (pattern) => wildcard(pattern.toLowerCase(), request.action.toLowerCase())) &&
    element(statement.Resource, statement.NotResource, (pattern) => arnLike(pattern, request.resource)) &&
    conditions(statement.Condition ?? {}, lowerKeys(request.context ?? {}))
  );
}

/** A statement without either element (a trust policy's Resource) does not restrict. */
function element(positive: string | string[] | undefined, negative: string | string[] | undefined, test: (pattern: string) => boolean): boolean {
  if (positive !== undefined) return list(positive).some(test);
  if (negative !== undefined) return !list(negative).some(test);
  return true;
}

function list<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

function lowerKeys(context: Record<string, ContextValue>): Map<string, string[]> {
  return new Map(Object.entries(context).map(([key, value]) => [key.toLowerCase(), list(value)]));
}

/** `*` any run of characters, `?` one character; everything else literal. */
export function wildcard(pattern: string, value: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${source}$`, "s").test(value);
}

/** ArnLike: each of the six colon-separated parts matched on its own, the last keeping its colons. */
export function arnLike(pattern: string, arn: string): boolean {
  if (pattern === "*") return true;
  const split = (value: string) => {
    const parts = value.split(":");
    return parts.length < 6 ? undefined : [...parts.slice(0, 5), parts.slice(5).join(":")];
  };
  const patternParts = split(pattern);
  const arnParts = split(arn);
  if (patternParts === undefined || arnParts === undefined) return wildcard(pattern, arn);
  return patternParts.every((part, i) => wildcard(part, arnParts[i]!));
}

const COMPARE: Record<string, (policyValue: string, contextValue: string) => boolean> = {
  stringequals: (p, c) => p === c,
  stringlike: (p, c) => wildcard(p, c),
  arnequals: (p, c) => p === c,
  arnlike: (p, c) => arnLike(p, c),
};
const NEGATED: Record<string, string> = { stringnotequals: "stringequals", stringnotlike: "stringlike", arnnotequals: "arnequals", arnnotlike: "arnlike" };

function conditions(block: ConditionBlock, context: Map<string, string[]>): boolean {
  return Object.entries(block).every(([operator, keys]) =>
    Object.entries(keys).every(([key, values]) => condition(operator, list(values), context.get(key.toLowerCase()))),
  );
}

function condition(operator: string, policyValues: string[], present: string[] | undefined): boolean {
  const match = /^(ForAllValues:|ForAnyValue:)?([A-Za-z]+?)(IfExists)?$/i.exec(operator);
  if (!match) throw new Error(`unknown condition operator ${operator}`);
  const [, qualifier, name, ifExists] = match;
  const op = name!.toLowerCase();
  if (op === "null") return policyValues.includes(present === undefined || present.length === 0 ? "true" : "false");
  const negatedOf = NEGATED[op];
  const compare = COMPARE[negatedOf ?? op];
  if (compare === undefined) throw new Error(`unsupported condition operator ${operator}`);
  const one = (value: string) => {
    const hit = policyValues.some((policyValue) => compare(policyValue, value));
    return negatedOf === undefined ? hit : !hit;
  };
  const setQualifier = qualifier?.toLowerCase();
  // ForAllValues is true of an absent or empty key; a negated operator is true of an absent key.
  if (present === undefined || present.length === 0) {
    if (setQualifier === "forallvalues:") return true;
    return ifExists !== undefined || negatedOf !== undefined;
  }
  if (setQualifier === "forallvalues:") return present.every(one);
  return present.some(one);
}
