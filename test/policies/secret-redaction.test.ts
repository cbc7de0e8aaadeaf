import { expect } from "chai";
import { REDACTED, redactSecrets } from "../../policies/secret-redaction";

// Built here, so the repository's own gitleaks scan sees no token-shaped literal.
const GITHUB_TOKEN = "ghp" + "_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
const AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const AWS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
const RANDOM = "Zm9vYmFyQmF6UXV4MTIzNDU2Nzg5MGFi";

describe("secret redaction", () => {
  it("replaces a token in a line of output and keeps the rest", () => {
    expect(redactSecrets(`push failed: token ${GITHUB_TOKEN} was rejected`, [])).to.equal(`push failed: token ${REDACTED} was rejected`);
  });

  it("replaces only the password of a URL", () => {
    expect(redactSecrets("cannot reach redis://:Tr0ub4dor3@cache.internal:6379/0", [])).to.equal(`cannot reach redis://:${REDACTED}@cache.internal:6379/0`);
  });

  it("replaces the value of a secret assignment, not its name", () => {
    expect(redactSecrets(`AWS_SECRET_ACCESS_KEY=${AWS_SECRET} ./sync.sh`, [])).to.equal(`AWS_SECRET_ACCESS_KEY=${REDACTED} ./sync.sh`);
  });

  it("replaces a whole private key, body included", () => {
    const pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";
    expect(redactSecrets(`key:\n${pem}\ndone`, [])).to.equal(`key:\n${REDACTED}\ndone`);
  });

  it("replaces a typed private key whole, and a cut-off one to the end of the text", () => {
    const pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----";
    expect(redactSecrets(`key:\n${pem}\ndone`, [])).to.equal(`key:\n${REDACTED}\ndone`);
    expect(redactSecrets("key:\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA", [])).to.equal(`key:\n${REDACTED}`);
  });

  it("replaces known secret values that have no shape of their own, wherever they appear", () => {
    expect(redactSecrets("passphrase is correct horse, yes: correct horse", ["correct horse"])).to.equal(`passphrase is ${REDACTED}, yes: ${REDACTED}`);
  });

  it("replaces a known value of six characters, and one that starts the text", () => {
    expect(redactSecrets("pin 482913 accepted", ["482913"])).to.equal(`pin ${REDACTED} accepted`);
    expect(redactSecrets("hunter22 was rejected", ["hunter22"])).to.equal(`${REDACTED} was rejected`);
  });

  it("replaces the password of a connection string", () => {
    expect(redactSecrets("login failed: Server=db;User Id=app;Password=hunter22;", [])).to.equal(`login failed: Server=db;User Id=app;Password=${REDACTED};`);
  });

  it("ignores known values too short to tell from ordinary words", () => {
    expect(redactSecrets("the test passed", ["test"])).to.equal("the test passed");
  });

  it("replaces a token known by its shape alone, such as an access key id", () => {
    expect(redactSecrets(`assumed ${AWS_KEY_ID} for the deploy`, [])).to.equal(`assumed ${REDACTED} for the deploy`);
  });

  it("replaces a secret access key standing alone, though its slashes cut it into short words", () => {
    expect(redactSecrets(`credentials ${AWS_SECRET} were rejected`, [])).to.equal(`credentials ${REDACTED} were rejected`);
  });

  it("replaces every occurrence of a random-looking token, the first word of the text too", () => {
    expect(redactSecrets(`${RANDOM} expired; renew ${RANDOM}`, [])).to.equal(`${REDACTED} expired; renew ${REDACTED}`);
  });

  it("replaces secrets wherever they sit, a known value before a shaped one", () => {
    const line = `passphrase correct horse, then token ${GITHUB_TOKEN}`;
    expect(redactSecrets(line, ["correct horse"])).to.equal(`passphrase ${REDACTED}, then token ${REDACTED}`);
  });

  it("replaces secrets that touch as one", () => {
    expect(redactSecrets("seed: hunter22letmein!", ["hunter22", "letmein!"])).to.equal(`seed: ${REDACTED}`);
  });

  it("keeps a 40-character commit id, which is not random enough to be a key", () => {
    const line = "deployed 3f786850e387550fdab836ed7e6dc881de23001b to prod";
    expect(redactSecrets(line, [])).to.equal(line);
  });

  it("leaves ordinary output alone", () => {
    const line = "HTTP 500 from https://us-east-1.storefront.example.com/health after 120 ms; release 0123456789ab";
    expect(redactSecrets(line, [])).to.equal(line);
  });
});
