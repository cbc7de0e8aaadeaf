import { expect } from "chai";
import { Diagnostics } from "../../cli/config/diagnostics";
import { checkFlagValues } from "../../cli/config/flag-values";
import type { PipelineFile } from "../../cli/config/formats/pipeline-file";
import type { StageFile } from "../../cli/config/formats/stage-file";
import { parseYaml } from "../../cli/config/source";

const TODAY = "2026-11-24";

const PIPELINE: PipelineFile = {
  workload: "storefront",
  stages: ["beta"],
  components: { checkout: { schema: "schemas/checkout.json" } },
  flags: {
    "one-page-checkout": {
      description: "d",
      owner: "o",
      components: ["checkout"],
      attributes: {
        rolloutPercent: { type: "number", minimum: 0, maximum: 100, required: true },
        layout: { type: "string", enum: ["compact", "expanded"] },
        variant: { type: "string", pattern: "^(a" },
        code: { type: "string", pattern: "^[a-z]+$" },
        tags: { type: "string[]" },
      },
    },
    "apple-pay": { description: "d", owner: "o", components: ["checkout"] },
    "holiday-banner": { description: "d", owner: "o", components: ["checkout"], expires: "2026-11-01" },
  },
};

/** checkFlagValues' findings on a stage whose `flags:` are these YAML lines (from line 2), as `line:col severity message`. */
function problems(...flagLines: string[]): string[] {
  const { source } = parseYaml(["flags:", ...flagLines.map((line) => `  ${line}`), ""].join("\n"), "envs/beta.yaml");
  const diagnostics = new Diagnostics();
  checkFlagValues(source!.data as StageFile, PIPELINE, source!, TODAY, diagnostics);
  return diagnostics.all.map((d) => `${d.line}:${d.col} ${d.severity} ${d.message}`);
}

describe("flag values against the catalogue", () => {
  it("accepts values that satisfy their declarations, at their limits", () => {
    expect(problems("one-page-checkout: { enabled: true, rolloutPercent: 0, layout: compact, code: abc, tags: [x] }", "apple-pay: { enabled: true }")).to.deep.equal([]);
    expect(problems("one-page-checkout: { enabled: true, rolloutPercent: 100 }")).to.deep.equal([]);
    expect(problems(`one-page-checkout: { enabled: true, rolloutPercent: 1, code: ${"x".repeat(1024)} }`)).to.deep.equal([]);
  });

  it("warns at the enabled value of a flag switched on past its expiry, and says nothing of one switched off", () => {
    expect(problems("holiday-banner: { enabled: true }")).to.deep.equal(['2:30 warning flag "holiday-banner" is enabled here but expired on 2026-11-01']);
    expect(problems("holiday-banner: { enabled: false }")).to.deep.equal([]);
  });

  it("names the attributes a flag has beside one it does not, at that attribute's key", () => {
    expect(problems("one-page-checkout: { enabled: true, rolloutPercent: 5, colour: red }")).to.deep.equal([
      '2:58 error flag "one-page-checkout" has no attribute "colour"; its attributes are: rolloutPercent, layout, variant, code, tags',
    ]);
    expect(problems("apple-pay: { enabled: true, wallets: 2 }")).to.deep.equal(['2:31 error flag "apple-pay" has no attribute "wallets"']);
  });

  it("requires a required attribute only when the flag is on, reporting it at the flag", () => {
    expect(problems("one-page-checkout: { enabled: true }")).to.deep.equal(['2:3 error flag "one-page-checkout" is enabled but its required attribute "rolloutPercent" has no value']);
    expect(problems("one-page-checkout: { enabled: false }")).to.deep.equal([]);
  });

  it("says what is wrong with a value, at the value", () => {
    expect(
      problems(
        "one-page-checkout:",
        "  enabled: true",
        "  rolloutPercent: -1",
        "  layout: wide",
        "  tags: shoes",
        "  code: ABC",
      ),
    ).to.deep.equal([
      '4:21 error flag "one-page-checkout" attribute "rolloutPercent": -1 is below the minimum 0',
      '5:13 error flag "one-page-checkout" attribute "layout": expected one of "compact", "expanded", got "wide"',
      '6:11 error flag "one-page-checkout" attribute "tags": expected a list of strings, got "shoes"',
      '7:11 error flag "one-page-checkout" attribute "code": "ABC" does not match the pattern ^[a-z]+$',
    ]);
    expect(problems("one-page-checkout: { enabled: true, rolloutPercent: 101 }")).to.deep.equal(['2:55 error flag "one-page-checkout" attribute "rolloutPercent": 101 is above the maximum 100']);
  });

  it("leaves a value alone whose pattern does not compile: the catalogue reports the pattern once", () => {
    expect(problems("one-page-checkout: { enabled: true, rolloutPercent: 1, variant: b }")).to.deep.equal([]);
  });
});
