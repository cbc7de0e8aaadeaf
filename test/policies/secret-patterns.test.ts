import { expect } from "chai";
import { findSecrets, findSecretsIn, isSecretKey, shannonEntropy } from "../../policies/secret-patterns";

const kinds = (value: string, key?: string) => findSecrets(value, key).map((finding) => finding.kind);

// Shapes only: none of these is a live credential (AWS's documented examples, or made up).
const AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

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
    ];
    for (const [what, value, key] of innocent) {
      it(what, () => expect(findSecrets(value, key)).to.deep.equal([]));
    }
  });

  describe("names", () => {
    it("secret keys by their last word", () => {
      expect(isSecretKey("dbPassword")).to.equal(true);
      expect(isSecretKey("passwordPolicy")).to.equal(false);
      expect(isSecretKey("tokenBucketSize")).to.equal(false);
      expect(isSecretKey("cacheKey")).to.equal(false);
      expect(isSecretKey("signingKey")).to.equal(true);
    });

    it("measures entropy in bits per character", () => {
      expect(shannonEntropy("aaaa")).to.equal(0);
      expect(shannonEntropy("abcd")).to.equal(2);
    });
  });
});
