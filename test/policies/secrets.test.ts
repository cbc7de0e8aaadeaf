import { expect } from "chai";
import { noSecretsInConfiguration } from "../../policies/secrets";
import { violationsOf, type ResourceUnderTest } from "./harness";

function getHappyPathArgs(content: unknown = { logLevel: "ERROR", paymentsSecretArn: "arn:aws:secretsmanager:us-east-1:333333333333:secret:payments-AbCdEf" }): ResourceUnderTest {
  return {
    type: "aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion",
    name: "payments",
    props: { applicationId: "a", configurationProfileId: "p", contentType: "application/json", content: typeof content === "string" ? content : JSON.stringify(content) },
  };
}

describe("secrets policies", () => {
  describe("no-secrets-in-configuration", () => {
    it("passes config that refers to a secret by its ARN", async () => {
      expect(await violationsOf(noSecretsInConfiguration, getHappyPathArgs())).to.deep.equal([]);
    });

    it("rejects an AWS access key in operational config, naming where it is", async () => {
      const messages = await violationsOf(noSecretsInConfiguration, getHappyPathArgs({ provider: { accessKeyId: "AKIAIOSFODNN7EXAMPLE" } }));
      expect(messages).to.have.length(1);
      expect(messages[0]).to.match(/^provider.accessKeyId looks like an AWS access key id \(aws-access-key-id\); keep secrets in AWS Secrets Manager/);
    });

    it("rejects a password in a feature flag's attribute value", async () => {
      const flags = { version: "1", flags: { f: { name: "f" } }, values: { f: { enabled: true, adminPassword: "hunter22" } } };
      const messages = await violationsOf(noSecretsInConfiguration, { ...getHappyPathArgs(flags), name: "feature-flags" });
      expect(messages[0]).to.match(/^values.f.adminPassword "adminPassword" names a secret/);
    });

    it("rejects a private key in content that is not JSON", async () => {
      const args = getHappyPathArgs("-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----");
      args.props.contentType = "text/plain";
      expect((await violationsOf(noSecretsInConfiguration, args))[0]).to.match(/^content contains a PEM private key/);
    });

    it("rejects passwords in a list and a numeric password, at each one's path", async () => {
      const messages = await violationsOf(noSecretsInConfiguration, getHappyPathArgs({ passwords: ["autumn2026"], db: { password: 123456 } }));
      expect(messages.map((m) => m.split(" ")[0])).to.deep.equal(["passwords.0", "db.password"]);
    });

    it("passes a lockfile-style integrity hash and a description that mentions a password", async () => {
      const content = { integrity: "sha512-" + "Zm9vYmFyQmF6UXV4MTIzNDU2Nzg5MGFi".repeat(2) + "==", description: "Lets customers reset their password: sends a link" };
      expect(await violationsOf(noSecretsInConfiguration, getHappyPathArgs(content))).to.deep.equal([]);
    });

    it("names the content itself when the whole document is one secret-looking string", async () => {
      expect(await violationsOf(noSecretsInConfiguration, getHappyPathArgs(JSON.stringify("AKIAIOSFODNN7EXAMPLE")))).to.deep.equal([
        "content looks like an AWS access key id (aws-access-key-id); keep secrets in AWS Secrets Manager or SSM Parameter Store and put only their ARN or name in configuration.",
      ]);
    });

    it("has nothing to scan in a version without content", async () => {
      const args = getHappyPathArgs();
      delete args.props.content;
      expect(await violationsOf(noSecretsInConfiguration, args)).to.deep.equal([]);
    });

    it("skips the kinds configured as ignored", async () => {
      const args = getHappyPathArgs({ partnerId: "x9Kq2LmP7vRt4WzY8bNc" });
      expect(await violationsOf(noSecretsInConfiguration, args)).to.have.length(1);
      expect(await violationsOf(noSecretsInConfiguration, args, { ignoredKinds: ["high-entropy-string"] })).to.deep.equal([]);
    });
  });
});
