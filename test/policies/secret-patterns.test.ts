import { expect } from "chai";
import { findSecrets, findSecretsIn, isSecretKey, shannonEntropy } from "../../policies/secret-patterns";
import { LOOK_ALIKES, SECRETS } from "./secret-corpus";

const kinds = (value: string, key?: string) => findSecrets(value, key).map((finding) => finding.kind);

// Shapes only: none of these is a live credential (AWS's documented examples, or made up).
const AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";

describe("the secret detector", () => {
  describe("finds", () => {
    const cases: [string, string, string][] = [
      ["an AWS access key id", "AKIAIOSFODNN7EXAMPLE", "aws-access-key-id"],
      ["an AWS session key id", "ASIAY34FZKBOKMUTVV7A", "aws-access-key-id"],
      ["an AWS secret access key", AWS_SECRET, "aws-secret-access-key"],
      ["a PEM private key", "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----", "private-key"],
      ["an OpenSSH private key", "-----BEGIN OPENSSH PRIVATE KEY-----", "private-key"],
      ["a GitHub token", "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8", "github-token"],
      ["a GitHub fine-grained token", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "github-token"],
      ["a Slack bot token", "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOp", "slack-token"],
      ["a Slack webhook", "https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/abcdefghijklmnopqrstuvwx", "slack-token"],
      ["a Stripe secret key", "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc", "stripe-secret-key"],
      ["a Google API key", "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY", "google-api-key"],
      [
        "a JWT",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "jwt",
      ],
      ["a password in a URL", "postgres://app:s3cr3tPass@db.internal:5432/orders", "credentials-in-url"],
      ["a password in a connection string", "Server=db;User Id=app;Password=hunter22;", "secret-assignment"],
      ["a random token", "token for the partner: Zm9vYmFyQmF6UXV4MTIzNDU2Nzg5MGFi", "high-entropy-string"],
    ];
    for (const [what, value, kind] of cases) {
      it(`${what} (${kind})`, () => expect(kinds(value)).to.include(kind));
    }

    it("a non-empty value under a key that names a secret", () => {
      for (const key of ["password", "dbPassword", "api_key", "apiKey", "clientSecret", "AUTH_TOKEN", "private-key", "passphrase"]) {
        expect(kinds("plain", key), key).to.deep.equal(["secret-named-key"]);
      }
    });

    it("every secret in a structured value, with its path", () => {
      const found = findSecretsIn({ db: { password: "hunter22" }, keys: ["AKIAIOSFODNN7EXAMPLE"], retries: 3 });
      expect(found.map((f) => [f.path, f.kind])).to.deep.equal([
        ["db.password", "secret-named-key"],
        ["keys.0", "aws-access-key-id"],
      ]);
    });

    it("a Slack app-level token (xapp-)", () => {
      expect(kinds("xa" + "pp-1-A0123456789-1234567890123-" + "0123456789abcdef".repeat(4))).to.include("slack-token");
    });

    it("a password in a URL with an empty user, as Redis writes it", () => {
      expect(kinds("redis://:Tr0ub4dor3@cache.internal:6379/0")).to.include("credentials-in-url");
    });

    it("AWS_SECRET_ACCESS_KEY=<key> with no space around =", () => {
      expect(kinds(`AWS_SECRET_ACCESS_KEY=${AWS_SECRET}`)).to.include("secret-assignment");
    });

    it("a 40-character secret key right after an =", () => {
      expect(kinds(`key=${AWS_SECRET}`)).to.deep.equal(["aws-secret-access-key"]);
    });

    it("a value under short or plural secret key names", () => {
      for (const key of ["pass", "smtpPass", "auth", "basicAuth", "passwords", "apiKeys", "secrets", "tokens"]) {
        expect(kinds("deploy:pa55w0rd", key), key).to.deep.equal(["secret-named-key"]);
      }
    });

    it("every item of a list under a secret-named key", () => {
      const found = findSecretsIn({ passwords: ["autumn2026", "winter2026"] });
      expect(found.map((f) => f.path)).to.deep.equal(["passwords.0", "passwords.1"]);
    });

    it("every value of a map under a secret-named key, but not the keys that describe it", () => {
      const found = findSecretsIn({ apiKeys: { partnerA: "alpha-key-one", partnerB: "beta-key-two", description: "partner keys" } });
      expect(found.map((f) => [f.path, f.kind])).to.deep.equal([
        ["apiKeys.partnerA", "secret-named-key"],
        ["apiKeys.partnerB", "secret-named-key"],
      ]);
    });

    it("a numeric password", () => {
      expect(findSecretsIn({ password: 123456 }).map((f) => f.kind)).to.deep.equal(["secret-named-key"]);
      expect(findSecretsIn({ db: { dbPassword: 20240917 } }).map((f) => f.path)).to.deep.equal(["db.dbPassword"]);
    });

    it("a secret that merely starts with a reference's prefix", () => {
      for (const value of ["env:hunter22", "vault:hunter22", "ssm:Zm9vYmFyQmF6UXV4", "arn:aws:hunter22", "env:DB_PASSWORD hunter22", "secretsmanager:hunter22"]) {
        expect(kinds(value, "password"), value).to.deep.equal(["secret-named-key"]);
      }
    });

    it("a token whose own shape shows inside a well-formed reference", () => {
      expect(kinds("ssm:/prod/" + "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8", "password")).to.deep.equal(["github-token"]);
    });

    it("a secret assigned in a query string", () => {
      expect(kinds("https://partner.example.com/hook?auth=" + "Zm9vYmFyQmF6UXV4MTIz")).to.include("secret-assignment");
    });

    it("one finding per value: a named shape, not also the 40 characters or the entropy that come with it", () => {
      expect(kinds(`AWS_SECRET_ACCESS_KEY=${AWS_SECRET}`)).to.deep.equal(["secret-assignment"]);
      expect(kinds("ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8")).to.deep.equal(["github-token"]);
    });

    it("says why, in words a person reads, for each kind", () => {
      const reasons = (value: string, key?: string) => findSecrets(value, key).map((finding) => finding.reason);
      expect(reasons("AKIAIOSFODNN7EXAMPLE")).to.deep.equal(["looks like an AWS access key id"]);
      expect(reasons("-----BEGIN EC PRIVATE KEY-----")).to.deep.equal(["contains a PEM private key"]);
      expect(reasons("ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8")).to.deep.equal(["looks like a GitHub token"]);
      expect(reasons("xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOp")).to.deep.equal(["looks like a Slack token or webhook URL"]);
      expect(reasons("sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc")).to.deep.equal(["looks like a Stripe secret key"]);
      expect(reasons("AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY")).to.deep.equal(["looks like a Google API key"]);
      expect(reasons(JWT)).to.deep.equal(["looks like a JSON Web Token"]);
      expect(reasons("postgres://app:s3cr3tPass@db.internal:5432/orders")).to.deep.equal(["is a URL with a password in it"]);
      expect(reasons("Server=db;User Id=app;Password=hunter22;")).to.deep.equal(["assigns a password, secret or token inside the value"]);
      expect(reasons(AWS_SECRET)).to.deep.equal(["looks like an AWS secret access key (40 random base64 characters)"]);
      expect(reasons("token for the partner: Zm9vYmFyQmF6UXV4MTIzNDU2Nzg5MGFi")).to.deep.equal([
        "contains a long random-looking string, the shape of a key or token",
      ]);
      expect(reasons("hunter22", "dbPassword")).to.deep.equal(['"dbPassword" names a secret and has a value']);
      expect(findSecretsIn({ pin: { password: 4321 } }).map((f) => f.reason)).to.deep.equal(['"password" names a secret and has a numeric value']);
      expect(findSecretsIn({ apiKeys: { partnerA: "alpha-key-one" } }).map((f) => f.reason)).to.deep.equal([
        '"apiKeys" names secrets and holds this value',
      ]);
    });

    it("an assigned secret of four characters or more, whatever separates it from its key", () => {
      for (const value of ["pass=abcd", "password:letmein", "password = letmein", "password: s3cret", "password: hunter22", "password=hunter"]) {
        expect(kinds(value), value).to.deep.equal(["secret-assignment"]);
      }
    });

    it("an assignment right after the separator of another", () => {
      expect(kinds("note: password=hunter22")).to.deep.equal(["secret-assignment"]);
    });

    it("an access key id standing as a word of its own", () => {
      expect(kinds("key AKIAIOSFODNN7EXAMPLE for the migration")).to.deep.equal(["aws-access-key-id"]);
    });

    it("a token's shape inside a sentence, a header or an assignment", () => {
      expect(kinds("stripe sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc for refunds")).to.deep.equal(["stripe-secret-key"]);
      expect(kinds("maps AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY in the footer")).to.deep.equal(["google-api-key"]);
      expect(kinds(`Bearer ${JWT}`)).to.deep.equal(["jwt"]);
      expect(kinds("ci token ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8 expired")).to.deep.equal(["github-token"]);
    });

    it("a Google API key only when it ends after its 39 characters", () => {
      expect(kinds("AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWYx")).to.deep.equal(["high-entropy-string"]);
    });

    it("a number under a secret-named key once it is as long as a PIN", () => {
      expect(findSecretsIn({ password: 1234 }).map((f) => f.kind)).to.deep.equal(["secret-named-key"]);
      expect(findSecretsIn({ password: -20240917 }).map((f) => f.kind)).to.deep.equal(["secret-named-key"]);
    });

    it("a token's own shape inside a secret container, rather than the container's name", () => {
      expect(findSecretsIn({ apiKeys: { legacy: "AKIAIOSFODNN7EXAMPLE" } }).map((f) => [f.path, f.kind])).to.deep.equal([
        ["apiKeys.legacy", "aws-access-key-id"],
      ]);
    });

    it("never repeats the secret in its reasons", () => {
      for (const finding of findSecrets(AWS_SECRET, "secret")) expect(finding.reason).to.not.include(AWS_SECRET);
    });
  });

  describe("does not mistake for a secret", () => {
    const innocent: [string, string, string?][] = [
      ["an ARN", "arn:aws:iam::333333333333:role/dcp-deploy"],
      ["an alarm ARN", "arn:aws:cloudwatch:eu-west-1:222222222222:alarm:checkout-latency-p99"],
      ["a secret's ARN under a secret-named key", "arn:aws:secretsmanager:us-east-1:333333333333:secret:db-AbCdEf", "dbPassword"],
      ["a dynamic reference", "{{resolve:secretsmanager:prod/db:SecretString:password}}", "password"],
      ["a URL", "https://storefront.example.com/checkout?step=2&session=abc"],
      ["a URL with a long path", "https://api.example.com/v2/catalog/ProductSearchIndex2024Rebuild/items"],
      ["a region", "ap-southeast-2"],
      ["a kebab-case id", "rank-bm25-v3-experimental-model"],
      ["a 12-character hex release id", "0123456789ab"],
      ["a 40-character git commit", "3f786850e387550fdab836ed7e6dc881de23001b"],
      ["a 64-character sha256 digest", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
      ["a UUID", "123e4567-e89b-12d3-a456-426614174000"],
      ["a camel-case identifier", "OrderServiceHandlerV2Production"],
      ["a long camel-case name with digits", "MySuperLongCamelCaseConfigKey2024"],
      ["a Java class name", "com.example.checkout.PaymentGatewayClient2"],
      ["a file path", "/var/log/storefront/checkout/ApplicationServer2024.log"],
      ["a date", "2027-01-15T00:00:00Z"],
      ["a log level", "DEBUG", "logLevel"],
      ["an empty password", "", "password"],
      ["a sentence", "Single-page checkout flow replacing the three-step wizard"],
      ["a token lifetime", "300", "tokenTtlSeconds"],
      ["a key id that is public by design", "AROAY34FZKBOKMUTVV7A"],
      ["a Stripe publishable key", "pk_live_4eC39HqLyjWDarjtT1zdp7dc"],
      ["an account id", "333333333333"],
      ["a metric namespace", "Storefront/Checkout"],
      ["a sha512 integrity hash", "sha512-" + "Zm9vYmFyQmF6UXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo/+Ab1=="],
      ["a sha384 integrity hash", "sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"],
      ["a description that mentions a password reset", "Lets customers reset their password: sends a one-time link by email", "description"],
      ["a description of a password rule", "New password: at least twelve characters", "description"],
      ["an SSM parameter path under password", "ssm:/storefront/prod/db/password", "password"],
      ["an environment variable reference", "env:DB_PASSWORD", "password"],
      ["a Vault path with a field", "vault:secret/data/storefront#db", "password"],
      ["a Secrets Manager name", "secretsmanager:prod/storefront/oauth", "clientSecret"],
      ["a placeholder", "${DB_PASSWORD}", "password"],
      ["a shell variable assigned to a secret name", "AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY ./sync.sh"],
      ["a redacted value", "********", "password"],
      ["an auth mode", "cognito", "auth"],
      ["a setting under a secret name", "required", "password"],
      ["a blank password", "   ", "password"],
      ["a placeholder with spaces around it", "  ${DB_PASSWORD}  ", "password"],
      ["a password too short to be one, assigned", "pwd=abc"],
      ["prose after a colon", "Rotate the token: monthly"],
      ["a flag named like a GitHub token's prefix", "ghp_rollout"],
      ["a setting named like a fine-grained GitHub token's prefix", "github_pat_rotation"],
      ["a word that starts like a Slack token", "xoxo-gossip"],
      ["a Slack app token's prefix alone", "xapp-1-beta"],
      ["a Slack webhook path without its secret", "https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/"],
      ["a Stripe key's prefix alone", "sk_live_mode"],
      ["a Google key's prefix on a short word", "AIzaSyShort"],
      ["an unsigned token's header and claims", "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0."],
      ["a token's shape in documentation, its signature a placeholder", "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.signature"],
      ["an access key id run into other capitals", "XAKIAIOSFODNN7EXAMPLE"],
      ["an access key id run on into more", "AKIAIOSFODNN7EXAMPLE2"],
    ];
    for (const [what, value, key] of innocent) {
      it(what, () => expect(findSecrets(value, key)).to.deep.equal([]));
    }
  });

  describe("does not mistake for a secret, in a structured value", () => {
    const innocent: [string, unknown][] = [
      ["a model's token limit", { maxTokens: 4096 }],
      ["a password length", { passwordMinLength: 12 }],
      ["settings of a token", { token: { issuer: "https://auth.example.com", audience: "storefront" } }],
      ["rules under passwords", { passwords: { minLength: 12, maxAgeDays: 90 } }],
      ["the provider of the secrets", { secrets: { provider: "aws-secrets-manager" } }],
      ["a short count under a secret name", { pwdHistory: 5 }],
      ["a count under a plural secret name", { tokens: 100 }],
      ["numbers in a list without a key", [8080, 20240917]],
      ["nulls, absent values and switches", { password: null, token: undefined, enabled: true }],
      ["switches and blanks among secrets", { secrets: { rotate: true, legacy: " ", next: "" } }],
      ["a placeholder with spaces among secrets", { apiKeys: { partnerA: " ${PARTNER_A_KEY} " } }],
    ];
    for (const [what, document] of innocent) {
      it(what, () => expect(findSecretsIn(document)).to.deep.equal([]));
    }
  });

  // The corpus the benchmark measures recall and false positives on, entry by entry: a
  // change to the detector that loses one shows here with its name, not as a ratio.
  describe("on the benchmark's corpus", () => {
    for (const entry of SECRETS) {
      it(`finds ${entry.what}`, () => expect(findSecretsIn(entry.document)).to.not.deep.equal([]));
    }
    for (const entry of LOOK_ALIKES) {
      it(`lets ${entry.what} through`, () => expect(findSecretsIn(entry.document)).to.deep.equal([]));
    }
  });

  describe("names", () => {
    it("secret keys by their last word", () => {
      expect(isSecretKey("dbPassword")).to.equal(true);
      expect(isSecretKey("passwordPolicy")).to.equal(false);
      expect(isSecretKey("tokenBucketSize")).to.equal(false);
      expect(isSecretKey("cacheKey")).to.equal(false);
      expect(isSecretKey("signingKey")).to.equal(true);
      expect(isSecretKey("AWS_SECRET_ACCESS_KEY")).to.equal(true);
      expect(isSecretKey("apiKeys")).to.equal(true);
      expect(isSecretKey("maxTokens")).to.equal(false);
    });

    it("measures entropy in bits per character", () => {
      expect(shannonEntropy("aaaa")).to.equal(0);
      expect(shannonEntropy("abcd")).to.equal(2);
    });
  });
});
