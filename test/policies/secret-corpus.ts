/**
 * A corpus of configuration fragments: realistic secret shapes, and harmless values that
 * look like them. Every value is synthetic. Token-shaped values are built here at load
 * time from a seeded generator, so that no literal in the repository trips its own
 * gitleaks scan (.gitleaks.toml) and no value is a live credential.
 */

export interface CorpusEntry {
  what: string;
  /** A fragment of configuration as it would sit in envs/ or in hosted content. */
  document: Record<string, unknown>;
}

/** mulberry32: the same strings on every run, so the bench's figures are comparable. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = generator(20261125);
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const DIGITS = "0123456789";
const ALNUM = UPPER + LOWER + DIGITS;
const BASE64 = ALNUM + "+/";
const HEX = "0123456789abcdef";

function chars(length: number, alphabet: string): string {
  return Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
}

const awsKeyId = (prefix: string) => prefix + chars(16, UPPER + "234567");
const awsSecretKey = () => chars(40, BASE64);
const jwtPart = (json: object) => Buffer.from(JSON.stringify(json)).toString("base64url");
const jwt = () => `${jwtPart({ alg: "HS256", typ: "JWT" })}.${jwtPart({ sub: "1234567890", name: "Synthetic" })}.${chars(43, ALNUM + "-_")}`;
const pem = (kind: string) => [`-----BEGIN ${kind}PRIVATE KEY-----`, chars(64, BASE64), chars(64, BASE64), `-----END ${kind}PRIVATE KEY-----`].join("\n");
const prefixed = (...parts: string[]) => parts.join("");

export const SECRETS: CorpusEntry[] = [
  { what: "an AWS access key id", document: { accessKeyId: awsKeyId("AKIA") } },
  { what: "an AWS session key id in a free-form note", document: { note: `temporary key ${awsKeyId("ASIA")} for the migration` } },
  { what: "an AWS secret access key alone", document: { value: awsSecretKey() } },
  { what: "AWS_SECRET_ACCESS_KEY=<key> without spaces", document: { script: `AWS_SECRET_ACCESS_KEY=${awsSecretKey()} ./sync.sh` } },
  { what: "an ini-style aws_secret_access_key", document: { profile: `aws_secret_access_key = ${awsSecretKey()}` } },
  { what: "an RSA private key", document: { tls: pem("RSA ") } },
  { what: "a PKCS#8 private key", document: { cert: pem("") } },
  { what: "an OpenSSH private key", document: { deploy: pem("OPENSSH ") } },
  { what: "a GitHub personal access token", document: { ci: prefixed("ghp", "_", chars(36, ALNUM)) } },
  { what: "a GitHub OAuth token", document: { ci: prefixed("gho", "_", chars(36, ALNUM)) } },
  { what: "a GitHub fine-grained token", document: { ci: prefixed("github", "_pat_", chars(22, ALNUM), "_", chars(59, ALNUM)) } },
  { what: "a Slack bot token", document: { chat: prefixed("xox", "b-", chars(12, DIGITS), "-", chars(13, DIGITS), "-", chars(24, ALNUM)) } },
  { what: "a Slack user token", document: { chat: prefixed("xox", "p-", chars(12, DIGITS), "-", chars(12, DIGITS), "-", chars(13, DIGITS), "-", chars(32, HEX)) } },
  { what: "a Slack app-level token", document: { chat: prefixed("xa", "pp-1-A", chars(10, UPPER + DIGITS), "-", chars(13, DIGITS), "-", chars(64, HEX)) } },
  { what: "a Slack webhook URL", document: { alerts: prefixed("https://hooks.slack.com/services/T", chars(8, UPPER + DIGITS), "/B", chars(8, UPPER + DIGITS), "/", chars(24, ALNUM)) } },
  { what: "a Stripe secret key", document: { payments: prefixed("sk", "_live_", chars(24, ALNUM)) } },
  { what: "a Stripe restricted key", document: { payments: prefixed("rk", "_test_", chars(24, ALNUM)) } },
  { what: "a Google API key", document: { maps: prefixed("AI", "za", chars(35, ALNUM + "-_")) } },
  { what: "a JSON Web Token", document: { session: jwt() } },
  { what: "a bearer token in a header", document: { headers: { Authorization: `Bearer ${chars(40, ALNUM)}` } } },
  { what: "an npm token", document: { registry: prefixed("npm", "_", chars(36, ALNUM)) } },
  { what: "a SendGrid-shaped key", document: { mail: prefixed("SG", ".", chars(22, ALNUM + "-_"), ".", chars(43, ALNUM + "-_")) } },
  { what: "an Azure storage connection string", document: { storage: `DefaultEndpointsProtocol=https;AccountName=shop;AccountKey=${chars(86, BASE64)}==;` } },
  { what: "a Postgres URL with a password", document: { database: "postgres://app:Wint3r-is-coming@db.internal:5432/orders" } },
  { what: "a Redis URL with only a password", document: { cache: "redis://:Tr0ub4dor3@cache.internal:6379/0" } },
  { what: "a MongoDB SRV URL with a password", document: { documents: "mongodb+srv://svc:correcthorse42@cluster0.example.net/shop" } },
  { what: "an AMQP URL with a password", document: { queue: "amqp://orders:rabbit-pass-9@mq.internal:5672/" } },
  { what: "a git URL with a token", document: { repo: `https://x-access-token:${chars(40, ALNUM)}@git.example.com/shop.git` } },
  { what: "an ADO.NET connection string", document: { sql: "Server=db;User Id=app;Password=hunter22;" } },
  { what: "a libpq keyword connection string", document: { dsn: "host=db.internal user=app password=S3cure!pw dbname=orders" } },
  { what: "a pwd= assignment", document: { odbc: "DRIVER={PostgreSQL};SERVER=db;UID=app;PWD=quokka77;" } },
  { what: "a password under password", document: { password: "hunter22" } },
  { what: "a password under dbPassword", document: { db: { dbPassword: "correct horse battery staple" } } },
  { what: "a password under pass", document: { smtp: { pass: "mailpass2024" } } },
  { what: "a password under smtpPass", document: { smtpPass: "letmein!" } },
  { what: "a credential under auth", document: { proxy: { auth: "admin:admin123" } } },
  { what: "a credential under basicAuth", document: { basicAuth: "ops:opsops" } },
  { what: "passwords in a list under passwords", document: { passwords: ["autumn2026", "winter2026"] } },
  { what: "keys in a map under apiKeys", document: { apiKeys: { partnerA: "alpha-key-one", partnerB: "beta-key-two" } } },
  { what: "secrets in a map under secrets", document: { secrets: { db: "pa55word", cache: "r3dis" } } },
  { what: "a current and previous password under password", document: { password: { current: "spring-2026", previous: "winter-2025" } } },
  { what: "tokens in a list under tokens", document: { tokens: ["first-token-value", "second-token-value"] } },
  { what: "a numeric password", document: { password: 123456 } },
  { what: "a numeric PIN-like password under dbPassword", document: { dbPassword: 20240917 } },
  { what: "a client secret", document: { oauth: { clientId: "storefront", clientSecret: "not-so-secret-value" } } },
  { what: "an api_key", document: { api_key: "k-20260101-partner" } },
  { what: "an upper-case PRIVATE_KEY", document: { PRIVATE_KEY: "base64-of-a-key" } },
  { what: "a signing key", document: { signingKey: "sign-me-please" } },
  { what: "a passphrase", document: { passphrase: "four random words here" } },
  { what: "an AUTH_TOKEN", document: { AUTH_TOKEN: "t-123-456-789" } },
  { what: "a secret behind a fake env: prefix", document: { password: "env:hunter22" } },
  { what: "a secret behind a fake vault: prefix", document: { password: "vault:hunter22" } },
  { what: "a secret behind a fake ssm: prefix", document: { apiKey: `ssm:${chars(24, ALNUM)}` } },
  { what: "a secret behind a fake arn:aws: prefix", document: { token: `arn:aws:${chars(32, ALNUM)}` } },
  { what: "a reference followed by a secret", document: { dbPassword: "env:DB_PASSWORD hunter22" } },
  { what: "a token inside an otherwise well-formed reference", document: { note: `ssm:/prod/${prefixed("ghp", "_", chars(36, ALNUM))}` } },
  { what: "a random partner token in free text", document: { partner: `token for the partner: ${chars(32, ALNUM)}` } },
  { what: "a secret in a URL query", document: { callback: `https://partner.example.com/hook?auth=${chars(24, ALNUM)}` } },
  { what: "user and password under auth", document: { auth: "deploy:pa55w0rd" } },
  { what: "a password with spaces around =", document: { jdbc: "user = app ; password = Sup3rS3cret" } },
];

export const LOOK_ALIKES: CorpusEntry[] = [
  { what: "a role ARN", document: { role: "arn:aws:iam::333333333333:role/dcp-deploy" } },
  { what: "an alarm ARN", document: { alarm: "arn:aws:cloudwatch:eu-west-1:222222222222:alarm:checkout-latency-p99" } },
  { what: "a secret's ARN under dbPassword", document: { dbPassword: "arn:aws:secretsmanager:us-east-1:333333333333:secret:prod/db-AbCdEf" } },
  { what: "a KMS key ARN under signingKey", document: { signingKey: "arn:aws:kms:us-east-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab" } },
  { what: "an SSM parameter path under password", document: { password: "ssm:/storefront/prod/db/password" } },
  { what: "an environment variable reference under password", document: { password: "env:DB_PASSWORD" } },
  { what: "a Vault path under apiKey", document: { apiKey: "vault:secret/data/storefront/partner#apiKey" } },
  { what: "a Secrets Manager name under clientSecret", document: { clientSecret: "secretsmanager:prod/storefront/oauth" } },
  { what: "a CloudFormation dynamic reference", document: { password: "{{resolve:secretsmanager:prod/db:SecretString:password}}" } },
  { what: "a placeholder", document: { password: "${DB_PASSWORD}" } },
  { what: "a shell variable in a command", document: { script: "export AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY && ./sync.sh" } },
  { what: "a redacted value", document: { password: "********" } },
  { what: "an empty password", document: { password: "" } },
  { what: "a sha512 integrity hash", document: { integrity: `sha512-${chars(86, BASE64)}==` } },
  { what: "a sha384 integrity hash", document: { integrity: `sha384-${chars(64, BASE64)}` } },
  { what: "a sha256 integrity hash", document: { integrity: `sha256-${chars(43, BASE64)}=` } },
  { what: "a lockfile entry with its integrity", document: { packages: { "node_modules/ora": { version: "9.4.1", integrity: `sha512-${chars(86, BASE64)}==` } } } },
  { what: "a description that mentions a password reset", document: { description: "Lets customers reset their password: sends a one-time link by email" } },
  { what: "a description of a password rule", document: { description: "New password: at least twelve characters, checked against breached lists" } },
  { what: "a flag about passwordless sign-in", document: { description: "Passwordless sign-in with passkeys for returning customers" } },
  { what: "a description naming tokens", document: { description: "Token bucket refill rate for the API gateway; secret rotation is separate" } },
  { what: "a password policy", document: { passwordPolicy: { minLength: 12, requireSymbols: true } } },
  { what: "a password length", document: { passwordMinLength: 12 } },
  { what: "a token lifetime", document: { tokenTtlSeconds: 3600 } },
  { what: "a model's token limit", document: { maxTokens: 4096 } },
  { what: "a token issuer and audience", document: { token: { issuer: "https://auth.example.com", audience: "storefront" } } },
  { what: "an auth mode", document: { auth: "none" } },
  { what: "an auth method", document: { authMode: "iam" } },
  { what: "a cache key", document: { cacheKey: "user-profile-v2" } },
  { what: "secret rotation settings", document: { secrets: { rotationDays: 30 } } },
  { what: "a URL", document: { url: "https://storefront.example.com/checkout?step=2&session=abc" } },
  { what: "a URL with a long path", document: { api: "https://api.example.com/v2/catalog/ProductSearchIndex2024Rebuild/items" } },
  { what: "a URL with a user and no password", document: { database: "postgres://app@db.internal:5432/orders" } },
  { what: "a Redis URL without credentials", document: { cache: "redis://cache.internal:6379/0" } },
  { what: "a URL with a port", document: { endpoint: "http://localhost:4566" } },
  { what: "a region", document: { region: "ap-southeast-2" } },
  { what: "a kebab-case id", document: { model: "rank-bm25-v3-experimental-model" } },
  { what: "a release id", document: { release: "0123456789ab" } },
  { what: "a git commit", document: { revision: chars(40, HEX) } },
  { what: "a sha256 digest", document: { digest: chars(64, HEX) } },
  { what: "a container image digest", document: { image: `public.ecr.aws/storefront/api@sha256:${chars(64, HEX)}` } },
  { what: "a UUID", document: { id: "123e4567-e89b-12d3-a456-426614174000" } },
  { what: "a camel-case identifier", document: { handler: "OrderServiceHandlerV2Production" } },
  { what: "a long camel-case name with digits", document: { name: "MySuperLongCamelCaseConfigKey2024" } },
  { what: "a Java class name", document: { client: "com.example.checkout.PaymentGatewayClient2" } },
  { what: "a file path", document: { log: "/var/log/storefront/checkout/ApplicationServer2024.log" } },
  { what: "a date", document: { expires: "2027-01-15T00:00:00Z" } },
  { what: "a log level", document: { logLevel: "DEBUG" } },
  { what: "a sentence", document: { description: "Single-page checkout flow replacing the three-step wizard" } },
  { what: "a public key id", document: { roleId: "AROAY34FZKBOKMUTVV7A" } },
  { what: "a Stripe publishable key", document: { stripePublishable: prefixed("pk", "_live_", chars(24, ALNUM)) } },
  { what: "an account id", document: { account: "333333333333" } },
  { what: "a metric namespace", document: { namespace: "Storefront/Checkout" } },
  { what: "a metric name", document: { metric: "CheckoutLatencyP99Milliseconds" } },
  { what: "a public key", document: { verify: "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----" } },
  { what: "a schedule expression", document: { schedule: "rate(5 minutes)" } },
  { what: "a semantic version", document: { version: "1.24.3-beta.4+build.20261125" } },
  { what: "a feature flag key", document: { flag: "checkout-v2-single-page" } },
  { what: "a percentage split", document: { weights: { control: 50, treatment: 50 } } },
  { what: "a throttling limit", document: { throttling: { requestsPerSecond: 1200, burst: 2400 } } },
  { what: "a list of regions", document: { regions: ["us-east-1", "eu-west-1", "ap-southeast-2"] } },
  { what: "an email address", document: { owner: "payments-team@example.com" } },
  { what: "a hostname", document: { host: "db-primary.storefront.internal" } },
  { what: "a base64 of a short word", document: { banner: "aGVsbG8gd29ybGQ=" } },
  { what: "a CSS colour", document: { theme: "#1a2b3c" } },
  { what: "a header name", document: { header: "X-Api-Key" } },
  { what: "a password field label", document: { label: "Password" } },
  { what: "a key that names its key type", document: { keyType: "RSA" } },
  { what: "a Cognito user pool id", document: { userPool: "us-east-1_AbCdEfGhI" } },
  { what: "an S3 object key", document: { object: "exports/2026/11/orders-20261125.csv" } },
  { what: "an auth provider", document: { auth: "cognito" } },
  { what: "a secret's name", document: { secretName: "prod/storefront/db" } },
  { what: "a password reset URL", document: { passwordResetUrl: "https://shop.example.com/account/reset" } },
  { what: "an API key header name", document: { apiKeyHeader: "x-api-key" } },
  { what: "a token endpoint", document: { tokenEndpoint: "https://auth.example.com/oauth2/token" } },
  { what: "a note on key rotation", document: { description: "API keys are rotated every 90 days by the platform team" } },
  { what: "a note pointing at the runbook", document: { note: "password = see runbook" } },
  { what: "a password history length", document: { pwdHistory: 5 } },
  { what: "password rules under passwords", document: { passwords: { minLength: 12, maxAgeDays: 90 } } },
  { what: "the provider of the secrets", document: { secrets: { provider: "aws-secrets-manager", region: "us-east-1" } } },
  { what: "credentials by reference", document: { credentials: { username: "app", passwordSecretArn: "arn:aws:secretsmanager:us-east-1:333333333333:secret:db-AbCdEf" } } },
  { what: "a Stripe publishable key in an env line", document: { env: prefixed("STRIPE_PUBLISHABLE_KEY=pk", "_live_", chars(24, ALNUM)) } },
];
