import { expect } from "chai";
import { code, stageDiffMarkdown, stageValueDiffMarkdown } from "../../cli/ui/markdown";

describe("value diffs as GitHub Markdown", () => {
  it("makes a table of the two stages' values", () => {
    const markdown = stageDiffMarkdown("gamma", "prod", [{ path: "config.checkout.logLevel", from: "INFO", to: "ERROR" }]);
    expect(markdown.split("\n")).to.deep.equal(["### Values: gamma → prod", "", "| Value | gamma | prod |", "| --- | --- | --- |", "| `config.checkout.logLevel` | `INFO` | `ERROR` |", ""]);
  });

  it("adds the regions column only when a change is made in some regions only", () => {
    const markdown = stageDiffMarkdown("beta", "prod", [
      { path: "a", from: 1, to: 2 },
      { path: "b", from: 1, to: 3, regions: ["us-east-1"] },
    ]);
    expect(markdown).to.include("| Value | beta | prod | prod regions |").and.include("| `a` | `1` | `2` | all |").and.include("| `b` | `1` | `3` | us-east-1 |");
  });

  it("never lets a value break the table: pipes escaped, backticks fenced", () => {
    expect(code("a|b")).to.equal("`a\\|b`");
    expect(code("x`y")).to.equal("``x`y``");
  });

  it("lists a stage's changes against what is deployed with their regions, and the stacks never released or unchanged", () => {
    const markdown = stageValueDiffMarkdown({
      stage: "prod",
      changes: [{ path: "flags.saved-cards.enabled", from: true, to: false, regions: ["us-east-1", "eu-west-1"] }],
      neverReleased: ["ap-south-1"],
      unchanged: ["us-west-2"],
    });
    expect(markdown).to.include("| `flags.saved-cards.enabled` | `true` | `false` | us-east-1, eu-west-1 |");
    expect(markdown).to.include("Never released (a release deploys every value): ap-south-1").and.include("No change: us-west-2");
  });
});
