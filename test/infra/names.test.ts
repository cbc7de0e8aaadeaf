import { expect } from "chai";
import { boundedName, NAME_LIMITS } from "../../infra/names";

describe("names dcp generates for AWS", () => {
  it("leaves a name within the limit as it is", () => {
    expect(boundedName("storefront-prod-us-east-1-appconfig-alarms", NAME_LIMITS.iamRole)).to.equal("storefront-prod-us-east-1-appconfig-alarms");
  });

  it("keeps a long monitoring role name within IAM's 64 characters, readable and distinct from its neighbours", () => {
    const long = (region: string) => `customer-checkout-experience-platform-production-${region}-appconfig-alarms`;
    const south = boundedName(long("ap-southeast-2"), NAME_LIMITS.iamRole);
    const north = boundedName(long("ap-northeast-1"), NAME_LIMITS.iamRole);
    expect(south).to.have.length.at.most(64).and.match(/^customer-checkout-experience-platform-production-.*-[0-9a-f]{8}$/);
    expect(north).to.have.length.at.most(64);
    expect(south).not.to.equal(north);
  });
});
