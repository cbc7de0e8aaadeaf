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
import { isSecretReference } from "./secret-references";

export { isSecretKey } from "./secret-keys";

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

/** A URL with a password (an empty user too: `redis://:password@host`). */
const CREDENTIALS_IN_URL = /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:[^\s/@]+@/i;

/**
 * `key=value` and `key: value` inside a longer value: connection strings, env blobs,
 * query strings, ini lines. The key is judged by the same words as a structured key.
 */
const ASSIGNMENT = /(?<![A-Za-z0-9_.-])([A-Za-z][A-Za-z0-9_.-]*)\s*([=:])(\s*)([^\s;,'"&]+)/g;

function secretAssignment(value: string): boolean {
  const assignments = new RegExp(ASSIGNMENT);
  for (let match = assignments.exec(value); match !== null; match = assignments.exec(value)) {
    const [, key, separator, space, assigned] = match as unknown as [string, string, string, string, string];
    // Resume right after the separator: in "https://host/?auth=…" the value of "https" hides the assignment after it.
    assignments.lastIndex = match.index + match[0].length - assigned.length - space.length;
    if (!isSecretKey(key) || assigned.length < 4 || isSettingOrPlaceholder(assigned) || isSecretReference(assigned)) continue;
    // Prose ("reset your password: sends a link") puts a word after a colon and a space; a secret is not a plain word.
    if (separator === ":" && space !== "" && /^[A-Za-z]+$/.test(assigned)) continue;
    return true;
  }
  return false;
}

/** The AWS secret access key shape: 40 base64 characters, standing alone (an `=` may precede it: KEY=…). */
const AWS_SECRET_KEY = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

/**
 * Random-looking: upper case, lower case and digits mixed, and close to the entropy a
 * random string of that length would have. English-like identifiers, kebab-case ids,
 * hex digests and release ids fall short of one or the other.
 */
function looksRandom(token: string): boolean {
  if (!/[a-z]/.test(token) || !/[A-Z]/.test(token) || !/[0-9]/.test(token)) return false;
  // Identifiers such as "OrderServiceHandlerV2" are mostly words; random text has few runs of lower case.
  const wordChars = (token.match(/[A-Z]?[a-z]{3,}/g) ?? []).join("").length;
  if (wordChars >= token.length / 2) return false;
  const ideal = Math.log2(Math.min(token.length, 64));
  return shannonEntropy(token) >= 0.85 * ideal;
}

const HIGH_ENTROPY_MIN_LENGTH = 20;

/**
 * Random by design and public by design: Stripe publishable keys, and Subresource
 * Integrity hashes (`sha512-…`, as in package-lock.json), which are digests of public files.
 */
const PUBLIC_TOKEN = /^(pk_(live|test)_|sha(256|384|512)-[A-Za-z0-9+/]+={0,2}$)/;

function highEntropyTokens(value: string): string[] {
  // URLs are addresses, not secrets (a password inside one is caught by its own rule).
  const withoutUrls = value.replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, " ");
  return withoutUrls
    .split(/[^A-Za-z0-9+/=_-]+/)
    .filter((token) => !PUBLIC_TOKEN.test(token))
    .flatMap((token) => (/^\/|\/.*\//.test(token) ? token.split("/") : [token]))
    .filter((token) => token.length >= HIGH_ENTROPY_MIN_LENGTH && looksRandom(token));
}

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
  if (CREDENTIALS_IN_URL.test(trimmed)) findings.push({ kind: "credentials-in-url", reason: "is a URL with a password in it" });
  if (secretAssignment(trimmed)) findings.push({ kind: "secret-assignment", reason: "assigns a password, secret or token inside the value" });
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

/** A number under a secret-named key is a numeric password once it has a PIN's length; counts and limits are shorter. */
const NUMERIC_SECRET_MIN_DIGITS = 4;

function findSecretsInLeaf(value: string | number, key: string | undefined, container: string | undefined): SecretFinding[] {
  if (typeof value === "number") {
    const numeric = key !== undefined && isSecretKey(key) && Number.isInteger(value) && String(Math.abs(value)).length >= NUMERIC_SECRET_MIN_DIGITS;
    return numeric ? [{ kind: "secret-named-key", reason: `"${key}" names a secret and has a numeric value` }] : [];
  }
  const findings = findSecrets(value, key);
  const trimmed = value.trim();
  const held = container !== undefined && key !== container && (key === undefined || !isDescriptiveKey(key));
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
