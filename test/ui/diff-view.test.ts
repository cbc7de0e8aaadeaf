import { expect } from "chai";
import { formatValue, renderDeployedDiff, renderStageDiff } from "../../cli/ui/diff-view";

describe("value diffs at a terminal", () => {
  it("prints each change as <path>  <from> → <to>, the arrows aligned", () => {
    const text = renderStageDiff("gamma", "prod", [
      { path: "flags.one-page-checkout.rolloutPercent", from: 50, to: 10 },
      { path: "config.checkout.logLevel", from: "INFO", to: "ERROR" },
    ]);
    expect(text.split("\n")).to.deep.equal([
      "gamma → prod: 2 values differ",
      "flags.one-page-checkout.rolloutPercent  50 → 10",
      "config.checkout.logLevel                INFO → ERROR",
    ]);
  });

  it("sets changes made in some regions only under a heading naming them, after those made everywhere", () => {
    const text = renderStageDiff("beta", "prod", [
      { path: "config.checkout.logLevel", from: "DEBUG", to: "WARN", regions: ["us-east-1"] },
      { path: "rollout.durationMinutes", from: 2, to: 30 },
    ]);
    expect(text.split("\n").slice(1)).to.deep.equal(["rollout.durationMinutes  2 → 30", "", "in prod us-east-1 only:", "  config.checkout.logLevel  DEBUG → WARN"]);
  });

  it("says so when no value differs", () => {
    expect(renderStageDiff("prod", "prod", [])).to.equal("prod → prod: no value differs");
  });

  it("shows unset values, and quotes strings that would read as another type", () => {
    expect(formatValue(undefined)).to.equal("(unset)");
    expect(formatValue("true")).to.equal('"true"');
    expect(formatValue("two words")).to.equal('"two words"');
    expect(formatValue(["a", "b"])).to.equal('["a","b"]');
  });

  it("shows a change made on several stacks once under their names, and the stacks never released or unchanged", () => {
    const text = renderDeployedDiff("gamma", [
      { stack: "gamma-us-east-1", stage: "gamma", region: "us-east-1", state: "changed", changes: [{ path: "flags.apple-pay.enabled", from: false, to: true }] },
      { stack: "gamma-eu-west-1", stage: "gamma", region: "eu-west-1", state: "changed", changes: [{ path: "flags.apple-pay.enabled", from: false, to: true }] },
      { stack: "gamma-ap-south-1", stage: "gamma", region: "ap-south-1", state: "never-released", changes: [] },
      { stack: "gamma-us-west-2", stage: "gamma", region: "us-west-2", state: "no-change", changes: [] },
    ]);
    expect(text.split("\n")).to.deep.equal([
      "gamma-us-east-1, gamma-eu-west-1:",
      "  flags.apple-pay.enabled  false → true",
      "gamma-ap-south-1: never released; a release deploys every value",
      "gamma-us-west-2: no change",
    ]);
  });

  it("notes stacks whose update after their last release failed or never finished", () => {
    const text = renderDeployedDiff("beta", [{ stack: "beta-us-west-2", stage: "beta", region: "us-west-2", state: "no-change", changes: [], unfinished: true }]);
    expect(text).to.include("note: an update of beta-us-west-2 failed or never finished");
  });
});
