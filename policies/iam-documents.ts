import { isRecord } from "./content";

/**
 * Reading IAM policy documents the way an attacker would write them: IAM matches `*`
 * and `?` anywhere in an action or an ARN, so "has no wildcard" means none at all,
 * not merely not the bare "*".
 */

export interface Statement {
  Effect?: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: unknown;
  NotPrincipal?: unknown;
  Condition?: unknown;
}

export function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The statements of a policy document given as JSON text or as an object; undefined when it cannot be read. */
export function statementsOf(document: unknown): Statement[] | undefined {
  let parsed = document;
  if (typeof document === "string") {
    try {
      parsed = JSON.parse(document);
    }
    // Stryker disable next-line BlockStatement: text that is not JSON stays a string, which the record check below reads as unreadable too
    catch {
      return undefined;
    }
  }
  if (!isRecord(parsed)) return undefined;
  const statements = parsed.Statement;
  return (Array.isArray(statements) ? statements : [statements]).filter(isRecord) as Statement[];
}

const hasWildcard = (text: string) => /[*?]/.test(text);

/** `iam:Put*`, `s3:Get?bject`, `*`: an action that matches more than the one it names. */
export function isWildcardAction(action: string): boolean {
  return hasWildcard(action);
}

/**
 * Why an ARN matches far more than one workload's resources, or undefined when it is
 * scoped: a wildcard in its partition, service or account (`arn:*`,
 * `arn:aws:iam::*:*`), or a resource part that is nothing but a wildcard after its
 * type (`role/*`, `alarm:*`). A wildcard after a name prefix (`alarm:checkout-*`)
 * stays within names the workload owns, and is allowed. The bare "*" is judged by the
 * caller, which knows the actions that need it.
 */
export function broadArnReason(resource: string): string | undefined {
  if (resource === "*" || !hasWildcard(resource)) return undefined;
  const parts = resource.split(":");
  if (parts[0] !== "arn") return "is a wildcard pattern, not an ARN";
  if (parts.length < 6) return "matches resources of any service";
  const [, partition, service, , account] = parts as [string, string, string, string, string];
  if (hasWildcard(partition) || hasWildcard(service)) return "matches resources of any service";
  if (hasWildcard(account)) return "matches resources in any account";
  const resourcePart = parts.slice(5).join(":");
  // S3 ARNs have no resource type: the bucket name comes first (`arn:aws:s3:::bucket/*` is one bucket's objects).
  // Stryker disable next-line Regex: unanchored, the first match starts at 0 exactly when the anchored one matches, and a later match leaves the first character, all the wildcard test reads
  const name = service === "s3" ? resourcePart : resourcePart.replace(/^[A-Za-z0-9-]+[/:]/, "");
  if (/^[*?]/.test(name)) return "matches every resource of its type";
  return undefined;
}

/** A Principal block as (kind, value) pairs: `"*"` is any principal. */
export function principalsOf(principal: unknown): { kind: string; value: string }[] {
  if (principal === "*") return [{ kind: "*", value: "*" }];
  if (!isRecord(principal)) return [];
  return Object.entries(principal).flatMap(([kind, values]) =>
    (Array.isArray(values) ? values : [values]).map((value) => ({ kind, value: String(value) })),
  );
}

const ACCOUNT_ID = /^\d{12}$/;

/**
 * The account a statement's `aws:SourceAccount` condition pins, when it pins exactly
 * one with an equality operator. Condition keys are case-insensitive in IAM; operators
 * are not. `StringLike` with a wildcard, or a list of accounts, does not count.
 */
export function pinnedSourceAccount(condition: unknown): string | undefined {
  if (!isRecord(condition)) return undefined;
  for (const operator of ["StringEquals", "StringEqualsIgnoreCase"]) {
    const block = condition[operator];
    if (!isRecord(block)) continue;
    for (const [key, value] of Object.entries(block)) {
      if (key.toLowerCase() !== "aws:sourceaccount") continue;
      const accounts = Array.isArray(value) ? value : [value];
      if (accounts.length === 1 && typeof accounts[0] === "string" && ACCOUNT_ID.test(accounts[0])) return accounts[0];
    }
  }
  return undefined;
}
