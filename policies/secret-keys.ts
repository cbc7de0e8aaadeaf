/**
 * Which keys name a secret, and which values under them are not one. Keys are what a
 * person wrote to say "this is a password": short (`pass`, `auth`), plural
 * (`passwords`, `apiKeys`) or qualified (`dbPassword`, `AWS_SECRET_ACCESS_KEY`).
 */

const SECRET_WORDS = new Set(["password", "passwd", "pwd", "pass", "passphrase", "secret", "token", "apikey", "auth", "credential"]);
/** Second-to-last words that make a trailing "key" a secret: apiKey, privateKey, secretKey, accessKey. */
const KEY_QUALIFIERS = new Set(["api", "private", "secret", "access", "signing", "encryption", "client", "master"]);
/** First words that make the key a count or a limit of secrets, not one: maxTokens, minPasswords. */
const QUANTITY_LEADS = new Set(["max", "min", "num", "number", "count", "total", "limit"]);
/**
 * Keys that hold settings about secrets rather than secrets when they hold an object
 * (`token: { issuer, audience }`, `auth: { provider }`); under the others
 * (`passwords: { …}`, `apiKeys: { partnerA: … }`) every string is taken for a secret.
 */
const SETTINGS_CONTAINERS = new Set(["token", "auth", "pass", "credential"]);
/** Last words of keys under a secret container that describe the secret instead of holding it. */
const DESCRIPTIVE_WORDS = new Set([
  "description", "name", "type", "kind", "id", "arn", "region", "url", "uri", "host", "user", "username", "format",
  "version", "rotation", "schedule", "enabled", "ttl", "expiry", "expires", "source", "provider", "issuer", "audience", "header",
]);

/** Splits camelCase, snake_case, kebab-case and dotted keys into lower-case words. */
function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]/)
    .filter((word) => word.length > 0)
    .map((word) => word.toLowerCase());
}

const singular = (word: string) => (word.endsWith("s") && !word.endsWith("ss") ? word.slice(0, -1) : word);

/** The word that makes a key a secret's ("password" for dbPasswords), or undefined. */
function secretWord(key: string): string | undefined {
  const words = keyWords(key);
  const last = words.at(-1);
  if (last === undefined || QUANTITY_LEADS.has(words[0]!)) return undefined;
  const word = singular(last);
  if (SECRET_WORDS.has(word)) return word;
  // Stryker disable next-line StringLiteral: no word before "key" is looked up as "", which no Set holds, like any other non-qualifier
  const qualifier = words.at(-2) ?? "";
  return word === "key" && KEY_QUALIFIERS.has(qualifier) ? word : undefined;
}

/** True when a key names a secret (`password`, `dbPasswords`, `api_key`, `clientSecret`), not e.g. `tokenTtlSeconds`. */
export function isSecretKey(key: string): boolean {
  return secretWord(key) !== undefined;
}

/** True when every string under the key is a secret (`passwords: [...]`, `apiKeys: { partnerA: … }`). */
export function isSecretContainer(key: string): boolean {
  const word = secretWord(key);
  return word !== undefined && !SETTINGS_CONTAINERS.has(word);
}

/** `auth` holds a mode as often as a credential: a lower-case word under it (`cognito`, `api-key`) is the mode. */
const AUTH_MODE = /^[a-z][a-z0-9-]*$/;

/** True when `value` under `key` is a secret by the key's name: `password: hunter22`, not `auth: cognito`. */
export function namesSecretValue(key: string, value: string): boolean {
  const word = secretWord(key);
  return word !== undefined && !(word === "auth" && AUTH_MODE.test(value));
}

/** True when a key under a secret container describes the secret (`name`, `rotationDays`) rather than holding it. */
export function isDescriptiveKey(key: string): boolean {
  // Stryker disable next-line StringLiteral: a key without words is looked up as "", which no Set holds, like any other word
  return DESCRIPTIVE_WORDS.has(keyWords(key).at(-1) ?? "");
}

/** Values a secret-named key holds that are settings, not secrets: `auth: none`, `password: required`. */
const SETTING_VALUE = /^(none|null|nil|n\/a|disabled?|enabled?|true|false|on|off|yes|no|required|optional|iam|sigv4|oauth2?|oidc|basic|bearer|mtls|jwt)$/i;

/** Placeholders and redactions: `${DB_PASSWORD}`, `$DB_PASSWORD`, `********`, `<set in SSM>`. */
const PLACEHOLDER = /^(\$\{[A-Za-z_][A-Za-z0-9_.:-]*\}|\$[A-Za-z_][A-Za-z0-9_]*|%[A-Za-z_][A-Za-z0-9_]*%|\*+|x{3,}|<[^<>]*>)$/i;

/** True when the value under a secret-named key cannot be a secret. */
export function isSettingOrPlaceholder(value: string): boolean {
  return SETTING_VALUE.test(value) || PLACEHOLDER.test(value);
}
