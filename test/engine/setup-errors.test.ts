import { expect } from "chai";
import { toDomainError } from "../../cli/engine/command-errors";
import { setupProblem } from "../../cli/engine/setup-errors";
import { DeploymentError, ExitCode, SetupError } from "../../cli/errors";
import { commandError } from "./fake-stack";

/**
 * The first five as the Pulumi CLI v3.248.0 printed them on the end-to-end engine; the AWS ones
 * are pulumi-aws's CheckConfig reasons (provider/errors/no_credentials.txt, and validateCredentials'
 * "unable to validate AWS credentials.\nDetails: …" around an STS error) as the engine reports a
 * provider's check failure.
 */
const printed = {
  noLogin: "error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions",
  cloudUnreachable:
    'Logging in using access token from PULUMI_ACCESS_TOKEN\nerror: performing HTTP request: Get "https://127.0.0.1:9/api/user": dial tcp 127.0.0.1:9: connect: connection refused',
  bucketUnreachable:
    'error: read ".pulumi/meta.yaml": blob (key ".pulumi/meta.yaml") (code=Unknown): operation error S3: GetObject, exceeded maximum number of attempts, 3',
  wrongPassphraseHistory: "error: decrypting secrets: incorrect passphrase",
  wrongPassphraseRefresh: "error: getting stack configuration: get stack secrets manager: incorrect passphrase",
  noAwsCredentials:
    "error: pulumi:providers:aws resource 'beta' has a problem: No valid credential sources found.\nPlease see https://www.pulumi.com/registry/packages/aws/installation-configuration/ for more information about providing credentials.",
  expiredAwsCredentials:
    "error: pulumi:providers:aws resource 'beta' has a problem: unable to validate AWS credentials.\nDetails: validating provider credentials: retrieving caller identity from STS: operation error STS: GetCallerIdentity, https response error StatusCode: 403, api error ExpiredToken: The security token included in the request is expired",
};

function mapped(stderr: string, diagnostics: string[] = []) {
  return toDomainError("beta-us-west-2", "preview", commandError(stderr, 1), diagnostics);
}

describe("setup problems the engine reports", () => {
  const cases: Array<[string, string, SetupError["problem"], RegExp]> = [
    ["no login to Pulumi Cloud", printed.noLogin, "backend-login", /set PULUMI_ACCESS_TOKEN/],
    ["a Pulumi Cloud backend that cannot be reached", printed.cloudUnreachable, "backend-unreachable", /envs\/pipeline\.yaml's `state`/],
    ["a bucket backend that cannot be reached", printed.bucketUnreachable, "backend-unreachable", /cannot be reached/],
    ["a wrong passphrase reading history", printed.wrongPassphraseHistory, "passphrase", /set PULUMI_CONFIG_PASSPHRASE \(or PULUMI_CONFIG_PASSPHRASE_FILE\)/],
    ["a wrong passphrase refreshing", printed.wrongPassphraseRefresh, "passphrase", /PULUMI_CONFIG_PASSPHRASE/],
  ];
  for (const [what, stderr, problem, advice] of cases) {
    it(`is exit 1 naming what to set for ${what}`, () => {
      const error = mapped(stderr);
      expect(error).to.be.instanceOf(SetupError);
      expect(error.exitCode).to.equal(ExitCode.usage);
      expect((error as SetupError).problem).to.equal(problem);
      expect(error.message).to.match(advice);
      expect(error.message).not.to.match(/Command failed|code: |stdout:/);
    });
  }

  it("is exit 1 for missing AWS credentials the provider reports as a diagnostic, naming the variables to set", () => {
    const error = mapped("error: preview failed", [printed.noAwsCredentials]);
    expect(error).to.be.instanceOf(SetupError);
    expect(error.exitCode).to.equal(ExitCode.usage);
    expect(error.message).to.contain("AWS_ACCESS_KEY_ID").and.contain("AWS_PROFILE").and.contain("No valid credential sources found");
  });

  it("is exit 1 for expired AWS credentials too", () => {
    const error = mapped("error: preview failed", [printed.expiredAwsCredentials]);
    expect((error as SetupError).problem).to.equal("aws-credentials");
    expect(error.message).to.contain("expired");
  });

  it("leaves a resource that failed for its own reasons a failed deployment (exit 3)", () => {
    const error = mapped("error: update failed", ["checkout-flags: creating AppConfig Hosted Configuration Version: BadRequestException"]);
    expect(error).to.be.instanceOf(DeploymentError);
    expect(error.exitCode).to.equal(ExitCode.deploymentFailed);
  });

  it("gives the advice, then the line the engine said it in, without its `error: ` prefix", () => {
    const error = setupProblem(`Logging in\n  error: decrypting secrets: incorrect passphrase  \nmore`);
    expect(error?.message).to.equal(
      "the stacks' secrets are encrypted with another passphrase: set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) to the passphrase the stacks were created with. " +
        "The engine said: decrypting secrets: incorrect passphrase",
    );
  });

  it("takes off only a leading `error: `", () => {
    expect(setupProblem("decrypting secrets: error: incorrect passphrase")?.message).to.match(/The engine said: decrypting secrets: error: incorrect passphrase$/);
  });

  it("recognises a passphrase the CLI asks for and cannot prompt for", () => {
    expect(setupProblem("error: passphrase must be set with PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE environment variables")?.problem).to.equal(
      "passphrase",
    );
  });

  for (const [what, line] of [
    ["credentials the provider finds invalid", "error: The configured AWS credentials are invalid or have expired"],
    ["an SSO session that cannot be refreshed", "error: Failed to refresh cached SSO credentials"],
  ] as const) {
    it(`names AWS credentials for ${what}`, () => {
      expect(setupProblem(line)?.problem).to.equal("aws-credentials");
    });
  }

  it("recognises a bucket backend that cannot be opened", () => {
    expect(setupProblem('error: unable to open bucket s3://acme-state: NoCredentialProviders')?.problem).to.equal("backend-unreachable");
  });

  it("recognises nothing in an ordinary failure", () => {
    expect(setupProblem("error: update failed\ncheckout-flags: BadRequestException")).to.equal(undefined);
  });
});
