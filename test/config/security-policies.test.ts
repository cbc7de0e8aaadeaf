import { expect } from "chai";
import { SECURITY_POLICIES } from "../../cli/config/security-policies";
import { POLICIES } from "../../policies/pack";

describe("the security policies", () => {
  it("are the pack's IAM and secrets policies, named as the pack names them", () => {
    const pack = POLICIES.map((policy) => policy.name);
    expect(pack).to.include.members([...SECURITY_POLICIES]);
    expect(pack.filter((name) => /^iam-|secret/.test(name))).to.have.members([...SECURITY_POLICIES]);
  });
});
