import { expect } from "chai";
import { checkEnvironment } from "../../cli/verify/check-environment";

describe("a verify command's environment", () => {
  const parent = { PATH: "/usr/bin", HOME: "/home/ci", DCP_STAGE: "from the parent", DCP_TRACE: "1", LANG: "C.UTF-8", AWS_REGION: "eu-west-1", AWS_PROFILE: "deploy", PULUMI_ACCESS_TOKEN: "pul-123", GITHUB_TOKEN: "gh" };

  it("holds PATH, HOME and the DCP_* variables, with the stack's own values over the parent's", () => {
    expect(checkEnvironment(parent, [], { DCP_STAGE: "gamma" })).to.deep.equal({ PATH: "/usr/bin", HOME: "/home/ci", DCP_STAGE: "gamma", DCP_TRACE: "1" });
  });

  it("adds the variables the check names", () => {
    expect(checkEnvironment(parent, ["LANG", "AWS_REGION", "MISSING"], {})).to.include({ LANG: "C.UTF-8", AWS_REGION: "eu-west-1" }).and.not.have.property("MISSING");
  });

  it("leaves out what the parent has unset, and variables that merely mention DCP_", () => {
    expect(checkEnvironment({ PATH: undefined, HOME: "/home/ci", MY_DCP_TOKEN: "x", LANG: undefined }, ["LANG"], {})).to.deep.equal({ HOME: "/home/ci" });
  });

  it("never passes a credential variable, even one the check names", () => {
    const env = checkEnvironment(parent, ["AWS_PROFILE", "PULUMI_ACCESS_TOKEN", "GITHUB_TOKEN"], {});
    expect(env).to.not.have.any.keys("AWS_PROFILE", "PULUMI_ACCESS_TOKEN", "GITHUB_TOKEN");
  });
});
