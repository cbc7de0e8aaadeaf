import { expect } from "chai";
import { isCredentialVariable, secretValuesOf } from "../cli/credential-variables";

describe("credential variables", () => {
  it("are the AWS, Pulumi and GitHub Actions variables that carry dcp's authority", () => {
    for (const name of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "PULUMI_CONFIG_PASSPHRASE", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_URL", "GITHUB_TOKEN"]) {
      expect(isCredentialVariable(name), name).to.equal(true);
    }
  });

  it("are not the region, or a workload's own variables", () => {
    for (const name of ["AWS_REGION", "AWS_DEFAULT_REGION", "DCP_STAGE", "SMOKE_TEST_USER", "PATH"]) expect(isCredentialVariable(name), name).to.equal(false);
  });

  it("hand their values to redaction when their names say they are secrets", () => {
    const env = { PULUMI_CONFIG_PASSPHRASE: "correct horse", AWS_SESSION_TOKEN: "FwoGZXIvYXdzE", AWS_PROFILE: "default", DB_PASSWORD: "hunter22", EMPTY_TOKEN: "" };
    expect(secretValuesOf(env)).to.have.members(["correct horse", "FwoGZXIvYXdzE", "hunter22"]);
  });
});
