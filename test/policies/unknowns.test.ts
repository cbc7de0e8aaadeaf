import { expect } from "chai";
import { unknownCheckingProxy } from "@pulumi/policy";
import { isSetOrUnknown, knownOrUndefined } from "../../policies/unknowns";
import { UNKNOWN_AT_PREVIEW } from "./harness";

describe("values unknown at preview", () => {
  const props = unknownCheckingProxy({ arn: UNKNOWN_AT_PREVIEW, set: "arn:aws:sns:us-east-1:333333333333:alarms", zero: 0, off: false, empty: "", nothing: null });

  it("count as set, since the update will set them", () => {
    expect(isSetOrUnknown(() => props.arn)).to.equal(true);
  });

  it("are told from values that are known to be missing", () => {
    expect(isSetOrUnknown(() => props.set)).to.equal(true);
    expect(isSetOrUnknown(() => props.zero)).to.equal(true);
    expect(isSetOrUnknown(() => props.off)).to.equal(true);
    for (const key of ["empty", "nothing", "absent"]) expect(isSetOrUnknown(() => props[key]), key).to.equal(false);
  });

  it("read as undefined where a policy needs the value itself", () => {
    expect(knownOrUndefined(() => props.arn)).to.equal(undefined);
    expect(knownOrUndefined(() => props.set)).to.equal("arn:aws:sns:us-east-1:333333333333:alarms");
  });

  it("do not hide a policy's own errors", () => {
    const broken = () => {
      throw new TypeError("policy bug");
    };
    expect(() => isSetOrUnknown(broken)).to.throw(TypeError, "policy bug");
    expect(() => knownOrUndefined(broken)).to.throw(TypeError, "policy bug");
  });
});
