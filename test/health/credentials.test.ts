import { expect } from "chai";
import { asSetupProblem, isExpiredCredentials, isMissingCredentials } from "../../cli/health/credentials";
import { AWS_CREDENTIALS_ADVICE, ExitCode, SetupError } from "../../cli/errors";

function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

describe("AWS credential failures", () => {
  it("are expired sessions when STS or CloudWatch say ExpiredToken, or AppConfig says ExpiredTokenException, whatever the message", () => {
    expect(isExpiredCredentials(awsError("ExpiredToken", "Token expired"))).to.equal(true);
    expect(isExpiredCredentials(awsError("ExpiredTokenException", "Token expired"))).to.equal(true);
  });

  it("are expired sessions when a service names the error otherwise but says the token is expired", () => {
    expect(isExpiredCredentials(awsError("UnrecognizedClientException", "The Security Token included in the request is expired"))).to.equal(true);
  });

  it("are not any other refusal, nor anything that is not an error", () => {
    expect(isExpiredCredentials(awsError("AccessDenied", "User is not authorized to perform: cloudwatch:DescribeAlarms"))).to.equal(false);
    expect(isExpiredCredentials({ name: "ExpiredToken", message: "The security token included in the request is expired" })).to.equal(false);
    expect(isExpiredCredentials("ExpiredToken")).to.equal(false);
  });

  it("are missing credentials when the SDK's provider chain found none", () => {
    expect(isMissingCredentials(awsError("CredentialsProviderError", "Could not load credentials from any providers"))).to.equal(true);
    expect(isMissingCredentials(awsError("AccessDenied", "Could not load credentials from any providers"))).to.equal(false);
    expect(isMissingCredentials({ name: "CredentialsProviderError" })).to.equal(false);
  });

  it("become a setup problem (exit 1) that says what to set and what AWS said, keeping AWS's error as the cause", () => {
    for (const error of [
      awsError("ExpiredTokenException", "The security token included in the request is expired"),
      awsError("CredentialsProviderError", "Could not load credentials from any providers"),
    ]) {
      const problem = asSetupProblem(error);
      expect(problem).to.be.instanceOf(SetupError);
      expect(problem).to.deep.include({ problem: "aws-credentials", exitCode: ExitCode.usage, cause: error });
      expect((problem as SetupError).message).to.equal(`${AWS_CREDENTIALS_ADVICE}. AWS said: ${error.message}`);
    }
  });

  it("leave every other failure as it was", () => {
    const denied = awsError("AccessDenied", "User is not authorized");
    expect(asSetupProblem(denied)).to.equal(denied);
    expect(asSetupProblem("socket hang up")).to.equal("socket hang up");
  });
});
