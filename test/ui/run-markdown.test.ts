import { expect } from "chai";
import { renderRun } from "../../cli/ui/run-markdown";

describe("a run written up as Markdown", () => {
  it("tells per stage the values it changes, each wave's stacks and their outcome, the bake, the policy results and how the run ended", () => {
    const markdown = renderRun("dcp release --to gamma", [
      { type: "values-diff", diff: { stage: "gamma", changes: [{ path: "flags.apple-pay.enabled", from: false, to: true, regions: ["us-east-1"] }], neverReleased: [], unchanged: [] } },
      { type: "wave-started", stage: "gamma", wave: "gamma", stacks: ["gamma-us-east-1", "gamma-eu-west-1"] },
      { type: "policy-violation", violation: { stack: "gamma-us-east-1", policy: "log-level", level: "advisory", message: "DEBUG | verbose" } },
      { type: "stack-updated", stack: "gamma-us-east-1", releaseId: "abcdef012345", changes: { update: 1 } },
      { type: "stack-skipped", stack: "gamma-eu-west-1", releaseId: "abcdef012345", reason: "this release has baked healthy on it" },
      { type: "bake-done", stage: "gamma", wave: "gamma" },
      { type: "finished", exitCode: 0 },
    ]);
    expect(markdown).to.include("## dcp release --to gamma");
    expect(markdown).to.include("| `flags.apple-pay.enabled` | `false` | `true` | us-east-1 |");
    expect(markdown).to.include("| gamma | gamma-us-east-1 | updated to `abcdef012345` | baked healthy |");
    expect(markdown).to.include("|  | gamma-eu-west-1 | unchanged: this release has baked healthy on it |  |");
    expect(markdown).to.include("| advisory | `log-level` | gamma-us-east-1 |  | DEBUG \\| verbose |");
    expect(markdown).to.match(/\*\*Succeeded\.\*\*\n$/);
  });

  it("says which wave baked unhealthy, what was rolled back, and the exit code it failed with", () => {
    const markdown = renderRun("dcp release --to beta", [
      { type: "wave-started", stage: "beta", wave: "beta", stacks: ["beta-us-west-2"] },
      { type: "stack-updated", stack: "beta-us-west-2", releaseId: "abcdef012345", changes: {} },
      { type: "unhealthy", stage: "beta", wave: "beta", reasons: [{ stack: "beta-us-west-2", kind: "alarm", subject: "checkout-5xx", detail: "in ALARM" }] },
      { type: "rolled-back", stack: "beta-us-west-2", releaseId: "0123456789ab" },
      { type: "finished", exitCode: 4, message: "bake of beta wave beta failed" },
    ]);
    expect(markdown).to.include("| beta | beta-us-west-2 | **rolled back** to `0123456789ab` | **unhealthy**: beta-us-west-2 alarm checkout-5xx: in ALARM |");
    expect(markdown).to.include("No policy finding.");
    expect(markdown).to.include("**Failed (exit 4)**: bake of beta wave beta failed");
  });
});
