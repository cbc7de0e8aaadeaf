import { expect } from "chai";
import { sameFlagValue } from "../../cli/flags/same-value";

describe("comparing flag values", () => {
  it("finds values equal by content, lists element by element, whatever the order of their attributes", () => {
    expect(sameFlagValue({ enabled: true, layout: "compact", tags: ["a", "b"] }, { tags: ["a", "b"], layout: "compact", enabled: true })).to.equal(true);
  });

  it("tells apart values that differ in one attribute, one list element, or an attribute one of them lacks", () => {
    expect(sameFlagValue({ enabled: true, percent: 10 }, { enabled: true, percent: 25 })).to.equal(false);
    expect(sameFlagValue({ enabled: true, tags: ["a", "b"] }, { enabled: true, tags: ["a", "c"] })).to.equal(false);
    expect(sameFlagValue({ enabled: true, percent: 10 }, { enabled: true })).to.equal(false);
    expect(sameFlagValue({ enabled: false }, null)).to.equal(false);
  });
});
