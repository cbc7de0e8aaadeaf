/**
 * Recognises secret-looking values in configuration. Pure and dependency-free: the
 * policy pack runs it on hosted configuration content, and `dcp validate` on every
 * value of envs/ (where it can point at a file and line).
 *
 * Configuration is deployed in clear text to every host that reads it, so a secret
 * there is a leak; well-formed references to a secret store (ARNs, `{{resolve:…}}`,
 * `ssm:/…` paths) are what belongs in configuration instead, and are reported only
 * when a token's own shape shows inside one.
 */
import { isDescriptiveKey, isSecretContainer, isSecretKey, isSettingOrPlaceholder, namesSecretValue } from "./secret-keys";
import { highEntropyTokens, looksRandom } from "./secret-entropy";
import { isSecretReference } from "./secret-references";

export { isSecretKey } from "./secret-keys";
export { shannonEntropy } from "./secret-entropy";

export type SecretKind =
  | "aws-access-key-id"
  | "aws-secret-access-key"
  | "private-key"
  | "github-token"
  | "slack-token"
  | "stripe-secret-key"
  | "google-api-key"
  | "jwt"
  | "credentials-in-url"
  | "secret-assignment"
  | "secret-named-key"
  | "high-entropy-string";

export interface SecretFinding {
  kind: SecretKind;
  /** Why the value looks like a secret, for an error message. */
  reason: string;
}

/** A finding inside a structured value, with where the string it was found in sits. */
export interface LocatedSecretFinding extends SecretFinding {
  /** Keys and array indexes from the root, for callers that point at a source position. */
  at: Array<string | number>;
  /** The same, dotted, for messages. */
  path: string;
}

/** Where secrets belong instead; appended to error messages by callers. */
export const SECRET_ADVICE =
  "keep secrets in AWS Secrets Manager or SSM Parameter Store and put only their ARN or name in configuration";

/** A [start, end) range of a text. */
export type Span = [number, number];

interface ShapeRule {
  kind: SecretKind;
  pattern: RegExp;
  reason: string;
}

/** Tokens recognisable by their own shape, wherever they sit (even inside a reference). */
const TOKEN_SHAPES: ShapeRule[] = [
  {
    kind: "aws-access-key-id",
    // AKIA: long-term user keys; ASIA: STS session keys. AROA/AIDA are public unique ids, not credentials.
    pattern: /(?<![A-Z0-9])(AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Z0-9])/,
    reason: "looks like an AWS access key id",
  },
  {
    kind: "private-key",
    pattern: /-----BEGIN ((RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY( BLOCK)?-----/,
    reason: "contains a PEM private key",
  },
  {
    kind: "github-token",
    pattern: /(?<![A-Za-z0-9_])(gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})/,
    reason: "looks like a GitHub token",
  },
  {
    kind: "slack-token",
    // xox?-: bot, user and legacy tokens; xapp-: app-level (Socket Mode) tokens.
    pattern: /(?<![A-Za-z0-9])(xox[abposre]-[A-Za-z0-9-]{10,}|xapp-\d-[A-Za-z0-9-]{10,}|hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+)/,
    reason: "looks like a Slack token or webhook URL",
  },
  {
    kind: "stripe-secret-key",
    // pk_ keys are publishable by design; only secret (sk_) and restricted (rk_) keys are secrets.
    pattern: /(?<![A-Za-z0-9])(sk|rk)_(live|test)_[A-Za-z0-9]{16,}/,
    reason: "looks like a Stripe secret key",
  },
  {
    kind: "google-api-key",
    pattern: /(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/,
    reason: "looks like a Google API key",
  },
  {
    kind: "jwt",
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{10,}/,
    reason: "looks like a JSON Web Token",
  },
];

/** A URL with a password (an empty user too: `redis://:password@host`); the second group is the password. */
const CREDENTIALS_IN_URL = /([a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)([^\s/@]+)@/gi;

/**
 * `key=value` and `key: value` inside a longer value: connection strings, env blobs,
 * query strings, ini lines. The key is judged by the same words as a structured key.
 */
const ASSIGNMENT = /(?<![A-Za-z0-9_.-])([A-Za-z][A-Za-z0-9_.-]*)\s*([=:])(\s*)([^\s;,'"&]+)/g;

/** Where the secret values of `key=value` assignments sit in `value`, as [start, end) ranges. */
function secretAssignments(value: string): Span[] {
  const spans: Span[] = [];
  const assignments = new RegExp(ASSIGNMENT);
  for (let match = assignments.exec(value); match !== null; match = assignments.exec(value)) {
    const [, key, separator, space, assigned] = match as unknown as [string, string, string, string, string];
    const start = match.index + match[0].length - assigned.length;
    // Resume right after the separator: in "https://host/?auth=…" the value of "https" hides the assignment after it.
    assignments.lastIndex = start - space.length;
    if (!isSecretKey(key) || assigned.length < 4 || isSettingOrPlaceholder(assigned) || isSecretReference(assigned)) continue;
    // Prose ("reset your password: sends a link") puts a word after a colon and a space; a secret is not a plain word.
    if (separator === ":" && space !== "" && /^[A-Za-z]+$/.test(assigned)) continue;
    spans.push([start, start + assigned.length]);
  }
  return spans;
}

/** The AWS secret access key shape: 40 base64 characters, standing alone (an `=` may precede it: KEY=…). */
const AWS_SECRET_KEY = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;

function tokenShapes(value: string): SecretFinding[] {
  return TOKEN_SHAPES.filter((shape) => shape.pattern.test(value)).map(({ kind, reason }) => ({ kind, reason }));
}

/**
 * The reasons `value` (found under `key`, when given) looks like a secret; empty when
 * it does not. Never returns the value itself, so findings are safe to print.
 */
export function findSecrets(value: string, key?: string): SecretFinding[] {
  const trimmed = value.trim();
  if (trimmed.length === 0 || isSettingOrPlaceholder(trimmed)) return [];
  if (isSecretReference(trimmed)) return tokenShapes(trimmed);
  const findings = tokenShapes(trimmed);
  if ([...trimmed.matchAll(CREDENTIALS_IN_URL)].length > 0) findings.push({ kind: "credentials-in-url", reason: "is a URL with a password in it" });
  if (secretAssignments(trimmed).length > 0) findings.push({ kind: "secret-assignment", reason: "assigns a password, secret or token inside the value" });
  const awsSecret = [...trimmed.matchAll(AWS_SECRET_KEY)].some((match) => looksRandom(match[0]));
  if (awsSecret && findings.length === 0) {
    findings.push({ kind: "aws-secret-access-key", reason: "looks like an AWS secret access key (40 random base64 characters)" });
  }
  if (key !== undefined && namesSecretValue(key, trimmed)) {
    findings.push({ kind: "secret-named-key", reason: `"${key}" names a secret and has a value` });
  }
  if (findings.length === 0 && highEntropyTokens(trimmed).length > 0) {
    findings.push({ kind: "high-entropy-string", reason: "contains a long random-looking string, the shape of a key or token" });
  }
  return findings;
}

/** A PEM private key from its BEGIN line to its END line (or the end of the text, when cut off). */
const PRIVATE_KEY_BLOCK = /-----BEGIN [A-Z ]{0,30}PRIVATE KEY( BLOCK)?-----[^]*?(-----END [A-Z ]{0,30}PRIVATE KEY( BLOCK)?-----|$)/g;

/**
 * Where secrets sit in free text (a command's output, an error message), as [start, end)
 * ranges for redaction: the same shapes `findSecrets` reports, without a key to go by.
 */
export function secretSpans(text: string): Span[] {
  const spans: Span[] = [];
  const add = (start: number, length: number) => spans.push([start, start + length]);
  for (const { pattern } of TOKEN_SHAPES) {
    // eslint-disable-next-line security/detect-non-literal-regexp -- a global copy of one of the literal patterns above
    for (const match of text.matchAll(new RegExp(pattern.source, `${pattern.flags}g`))) add(match.index, match[0].length);
  }
  for (const match of text.matchAll(PRIVATE_KEY_BLOCK)) add(match.index, match[0].length);
  for (const match of text.matchAll(CREDENTIALS_IN_URL)) add(match.index + match[1]!.length, match[2]!.length);
  spans.push(...secretAssignments(text));
  for (const match of text.matchAll(AWS_SECRET_KEY)) if (looksRandom(match[0])) add(match.index, match[0].length);
  for (const token of new Set(highEntropyTokens(text))) {
    for (let at = text.indexOf(token); at >= 0; at = text.indexOf(token, at + token.length)) add(at, token.length);
  }
  return spans;
}

/** A number under a secret-named key is a numeric password once it has a PIN's length; counts and limits are shorter. */
const NUMERIC_SECRET_MIN_DIGITS = 4;

function findSecretsInLeaf(value: string | number, key: string | undefined, container: string | undefined): SecretFinding[] {
  if (typeof value === "number") {
    const numeric = key !== undefined && isSecretKey(key) && Number.isInteger(value) && String(Math.abs(value)).length >= NUMERIC_SECRET_MIN_DIGITS;
    return numeric ? [{ kind: "secret-named-key", reason: `"${key}" names a secret and has a numeric value` }] : [];
  }
  const findings = findSecrets(value, key);
  const trimmed = value.trim();
  // Inside a container there is always a key, the container's own at least (a list's items).
  const held = container !== undefined && !isDescriptiveKey(key ?? container);
  if (findings.length > 0 || !held || trimmed === "" || isSettingOrPlaceholder(trimmed) || isSecretReference(trimmed)) return findings;
  return [{ kind: "secret-named-key", reason: `"${container}" names secrets and holds this value` }];
}

/**
 * Every secret-looking value in a JSON-like value (objects, arrays, strings, numbers),
 * each with the path it sits at. A value is judged by the nearest key above it (an
 * array's items by the array's key), and every string inside a secret container
 * (`passwords`, `apiKeys`, `secrets`) is taken for a secret unless its own key describes it.
 */
export function findSecretsIn(value: unknown, at: Array<string | number> = [], container?: string): LocatedSecretFinding[] {
  const key = at.findLast((step): step is string => typeof step === "string");
  if (typeof value === "string" || typeof value === "number") {
    return findSecretsInLeaf(value, key, container).map((f) => ({ ...f, at, path: at.join(".") }));
  }
  const own = at.at(-1);
  const inside = container ?? (typeof own === "string" && isSecretContainer(own) ? own : undefined);
  const entries: Array<readonly [string | number, unknown]> = Array.isArray(value)
    ? value.map((item, index) => [index, item] as const)
    : value !== null && typeof value === "object"
      ? Object.entries(value)
      : [];
  return entries.flatMap(([child, item]) => findSecretsIn(item, [...at, child], inside));
}
