/**
 * Recognises secret-looking values in configuration. Pure and dependency-free: the
 * policy pack runs it on hosted configuration content, and `dcp validate` on every
 * value of envs/ (where it can point at a file and line).
 *
 * Configuration is deployed in clear text to every host that reads it, so a secret
 * there is a leak; references to a secret store (ARNs, `{{resolve:…}}`, `ssm:` paths)
 * are what belongs in configuration instead, and are never reported.
 */

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

const SHAPES: ShapeRule[] = [
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
    pattern: /(?<![A-Za-z0-9])(xox[abposr]-[A-Za-z0-9-]{10,}|hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+)/,
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
  {
    kind: "credentials-in-url",
    pattern: /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]+@/i,
    reason: "is a URL with a password in it",
  },
  {
    kind: "secret-assignment",
    // Connection strings and env-style blobs: "Server=db;Password=hunter2".
    pattern: /(?<![A-Za-z])(password|passwd|pwd|secret|api[_-]?key|access[_-]?token|auth[_-]?token)\s*[=:]\s*[^\s;,'"&]{4,}/i,
    reason: "assigns a password, secret or token inside the value",
  },
];

/** The AWS secret access key shape: 40 base64 characters, standing alone. */
const AWS_SECRET_KEY = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;

const SECRET_WORDS = new Set(["password", "passwd", "pwd", "passphrase", "secret", "token", "apikey", "credential", "credentials"]);
/** Second-to-last words that make a trailing "key" a secret: apiKey, privateKey, secretKey, accessKey. */
const KEY_QUALIFIERS = new Set(["api", "private", "secret", "access", "signing", "encryption", "client"]);

/** Values that are references to a secret store, or placeholders: exactly what configuration should hold. */
const REFERENCE = /^(arn:aws[a-z-]*:|\{\{resolve:|\$\{[^}]+\}$|ssm:|secretsmanager:|vault:|env:)/i;

/** Splits camelCase, snake_case, kebab-case and dotted keys into lower-case words. */
function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0)
    .map((word) => word.toLowerCase());
}

/** True when a key names a secret (`password`, `dbPassword`, `api_key`, `clientSecret`), not e.g. `tokenTtlSeconds`. */
export function isSecretKey(key: string): boolean {
  const words = keyWords(key);
  const last = words[words.length - 1];
  if (last === undefined) return false;
  if (SECRET_WORDS.has(last)) return true;
  const qualifier = words[words.length - 2];
  return last === "key" && qualifier !== undefined && KEY_QUALIFIERS.has(qualifier);
}

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

/** Random by design and public by design: Stripe publishable keys. */
const PUBLIC_TOKEN = /^pk_(live|test)_/;

function highEntropyTokens(value: string): string[] {
  // URLs are addresses, not secrets (a password inside one is caught by its own rule).
  const withoutUrls = value.replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, " ");
  return withoutUrls
    .split(/[^A-Za-z0-9+/=_-]+/)
    .flatMap((token) => (/^\/|\/.*\//.test(token) ? token.split("/") : [token]))
    .filter((token) => token.length >= HIGH_ENTROPY_MIN_LENGTH && !PUBLIC_TOKEN.test(token) && looksRandom(token));
}

/**
 * The reasons `value` (found under `key`, when given) looks like a secret; empty when
 * it does not. Never returns the value itself, so findings are safe to print.
 */
export function findSecrets(value: string, key?: string): SecretFinding[] {
  const trimmed = value.trim();
  if (trimmed.length === 0 || REFERENCE.test(trimmed)) return [];
  const findings: SecretFinding[] = [];
  for (const shape of SHAPES) {
    if (shape.pattern.test(trimmed)) findings.push({ kind: shape.kind, reason: shape.reason });
  }
  const awsSecret = [...trimmed.matchAll(AWS_SECRET_KEY)].some((match) => looksRandom(match[0]));
  if (awsSecret && findings.length === 0) {
    findings.push({ kind: "aws-secret-access-key", reason: "looks like an AWS secret access key (40 random base64 characters)" });
  }
  if (key !== undefined && isSecretKey(key)) {
    findings.push({ kind: "secret-named-key", reason: `"${key}" names a secret and has a value` });
  }
  if (findings.length === 0 && highEntropyTokens(trimmed).length > 0) {
    findings.push({ kind: "high-entropy-string", reason: "contains a long random-looking string, the shape of a key or token" });
  }
  return findings;
}

/**
 * Every secret-looking string in a JSON-like value (objects, arrays, strings), each with
 * the path it sits at. Non-string leaves are skipped: a number or boolean under
 * `password` is not a password.
 */
export function findSecretsIn(value: unknown, at: Array<string | number> = []): LocatedSecretFinding[] {
  if (typeof value === "string") {
    const key = at.at(-1);
    return findSecrets(value, typeof key === "string" ? key : undefined).map((f) => ({ ...f, at, path: at.join(".") }));
  }
  const entries: Array<readonly [string | number, unknown]> = Array.isArray(value)
    ? value.map((item, index) => [index, item] as const)
    : value !== null && typeof value === "object"
      ? Object.entries(value)
      : [];
  return entries.flatMap(([key, item]) => findSecretsIn(item, [...at, key]));
}
