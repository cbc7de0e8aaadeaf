import { expect } from "chai";
import * as path from "node:path";
import { Diagnostics } from "../../cli/config/diagnostics";
import { checkFlagCatalogue } from "../../cli/config/flag-catalogue";
import { loadEnvs } from "../../cli/config/load";
import { parseYaml } from "../../cli/config/source";
import type { Diagnostic } from "../../cli/errors";
import { renderFeatureFlags } from "../../infra/appconfig/feature-flags";
import { featureFlagsViolations } from "../../infra/appconfig/feature-flags-rules";
import type { AttributeDeclaration, FlagDeclaration } from "../../infra/stack-config";
import { EnvsCopy, withFractionalBound } from "../support/sample-envs";

const TODAY = "2026-11-24";

async function catalogueErrors(envs: EnvsCopy): Promise<Diagnostic[]> {
  const { diagnostics } = await loadEnvs(envs.dir, { today: TODAY });
  return diagnostics.filter((d) => d.severity === "error" && path.basename(d.file) === "pipeline.yaml");
}

/** Gives the sample's apple-pay flag (enabled in every stage, no attributes) one attribute, written as these YAML lines. */
function declareAttribute(envs: EnvsCopy, ...lines: string[]): EnvsCopy {
  const block = ["    attributes:", ...lines.map((line) => `      ${line}`)].join("\n");
  return envs.replace("pipeline.yaml", "    components: [payments]\n", `    components: [payments]\n${block}\n`);
}

/** 1-based column of `needle` on the first line of `file` that holds it. */
function columnOf(envs: EnvsCopy, file: string, needle: string): number {
  return (envs.read(file).split("\n")[envs.lineOf(file, needle) - 1] ?? "").indexOf(needle) + 1;
}

/** What AppConfig's FeatureFlags rules say of the apple-pay flag carrying this one attribute. */
function appConfigRefuses(name: string, attribute: Record<string, unknown>): boolean {
  const declaration = { description: "d", owner: "o", components: ["payments"], attributes: { [name]: attribute as AttributeDeclaration } };
  try {
    return featureFlagsViolations(renderFeatureFlags({ "apple-pay": { declaration, value: { enabled: false } } }, TODAY)).length > 0;
  } catch {
    return true;
  }
}

/** checkFlagCatalogue's findings, as `line:col message`, on a catalogue of one flag whose attributes are these YAML lines (from line 7). */
function attributeProblems(...lines: string[]): string[] {
  const text = ["flags:", "  apple-pay:", "    description: d", "    owner: o", "    components: [payments]", "    attributes:", ...lines.map((line) => `      ${line}`), ""].join("\n");
  const { source } = parseYaml(text, "envs/pipeline.yaml");
  const diagnostics = new Diagnostics();
  checkFlagCatalogue({ workload: "w", stages: ["beta"], components: {}, ...(source!.data as object) }, source!, TODAY, diagnostics);
  return diagnostics.all.map((d) => `${d.line}:${d.col} ${d.message}`);
}

describe("the flag catalogue against AppConfig's feature-flag format", () => {
  let envs: EnvsCopy;
  beforeEach(() => (envs = new EnvsCopy()));
  afterEach(() => envs.remove());

  it("accepts the sample catalogue, whose bounds are whole numbers and whose strings have a pattern or an enum", async () => {
    expect(await catalogueErrors(envs)).to.deep.equal([]);
  });

  it("refuses a fractional maximum at its value, saying AppConfig bounds number attributes by integers only", async () => {
    withFractionalBound(envs);
    const [error, ...rest] = await catalogueErrors(envs);
    expect(rest).to.deep.equal([]);
    expect(error).to.include({ line: envs.lineOf("pipeline.yaml", "maximum: 0.5"), col: columnOf(envs, "pipeline.yaml", "0.5") });
    expect(error?.message).to.equal(
      'flag "fraud-score-shadow" attribute "sampleRate": maximum 0.5 is not a whole number; AppConfig bounds number attributes by integers only. ' +
        "Use a whole-number bound, or give the attribute a finer unit (a percentage 0 to 100 rather than a fraction 0 to 1)",
    );
  });

  it("refuses a fractional minimum of a number[] attribute, whose elements AppConfig bounds the same way", async () => {
    declareAttribute(envs, "fees:", "  type: number[]", "  minimum: 0.25");
    const [error] = await catalogueErrors(envs);
    expect(error).to.include({ line: envs.lineOf("pipeline.yaml", "minimum: 0.25") });
    expect(error?.message).to.include("minimum 0.25 is not a whole number");
  });

  it("refuses a string attribute with both a pattern and an enum, at its enum, saying AppConfig takes one or the other", async () => {
    declareAttribute(envs, "wallet:", "  type: string", '  pattern: "^[a-z]+$"', "  enum: [apple, google]");
    const [error, ...rest] = await catalogueErrors(envs);
    expect(rest).to.deep.equal([]);
    expect(error).to.include({ line: envs.lineOf("pipeline.yaml", "enum: [apple, google]"), col: 9 });
    expect(error?.message).to.include('flag "apple-pay" attribute "wallet": has both a pattern and an enum; AppConfig constrains a string attribute with one or the other, not both');
  });

  it("refuses an enum on a number, boolean or number[] attribute, which AppConfig cannot constrain with one", async () => {
    declareAttribute(envs, "tier: { type: number, enum: [1, 2] }", "oneClick: { type: boolean, enum: [yes] }", 'limits: { type: "number[]", enum: [5] }');
    const errors = await catalogueErrors(envs);
    expect(errors.map((e) => e.message)).to.deep.equal([
      'flag "apple-pay" attribute "tier": enum does not apply to a number attribute; AppConfig constrains a number with minimum and maximum only',
      'flag "apple-pay" attribute "oneClick": enum does not apply to a boolean attribute; AppConfig constrains a boolean with nothing but required',
      'flag "apple-pay" attribute "limits": enum does not apply to a number[] attribute; AppConfig constrains a number[] with minimum and maximum only',
    ]);
    expect(errors[0]).to.include({ line: envs.lineOf("pipeline.yaml", "tier:"), col: columnOf(envs, "pipeline.yaml", "enum: [1, 2]") });
  });

  it("refuses bounds on a string and a pattern on a number, at the constraint", async () => {
    declareAttribute(envs, "wallet: { type: string, maximum: 3 }", "tier: { type: number, pattern: '^[0-9]+' }");
    const errors = await catalogueErrors(envs);
    expect(errors.map((e) => e.message)).to.deep.equal([
      'flag "apple-pay" attribute "wallet": maximum does not apply to a string attribute; AppConfig constrains a string with pattern and enum only',
      'flag "apple-pay" attribute "tier": pattern does not apply to a number attribute; AppConfig constrains a number with minimum and maximum only',
    ]);
    expect(errors[1]).to.include({ line: envs.lineOf("pipeline.yaml", "tier:"), col: columnOf(envs, "pipeline.yaml", "pattern:") });
  });

  it("refuses a minimum above the maximum, which no value could satisfy", async () => {
    declareAttribute(envs, "tier: { type: number, minimum: 5, maximum: 2 }");
    const [error] = await catalogueErrors(envs);
    expect(error).to.include({ line: envs.lineOf("pipeline.yaml", "tier:"), col: columnOf(envs, "pipeline.yaml", "5,") });
    expect(error?.message).to.include("minimum 5 is above maximum 2");
  });

  it("refuses a pattern that is not a regular expression, saying why", async () => {
    declareAttribute(envs, 'wallet: { type: string, pattern: "^(apple" }');
    const [error] = await catalogueErrors(envs);
    expect(error?.message).to.match(/attribute "wallet": pattern is not a valid regular expression \(.*Unterminated group\)/);
  });

  it("refuses a number in a string attribute's enum at that entry, since no string value could ever equal it", async () => {
    declareAttribute(envs, "wallet: { type: string, enum: [apple, 7] }");
    const [error] = await catalogueErrors(envs);
    expect(error).to.include({ line: envs.lineOf("pipeline.yaml", "wallet:"), col: columnOf(envs, "pipeline.yaml", "7]") });
    expect(error?.message).to.include('enum value 7 is a number, but the values of a string attribute are strings; quote it ("7")');
  });

  it("refuses what exceeds AppConfig's sizes: descriptions, patterns and enum values over 1024 characters, more than 100 enum values", async () => {
    const long = "x".repeat(1025);
    const values = Array.from({ length: 101 }, (_, i) => `v${i}`).join(", ");
    declareAttribute(envs, `a: { type: string, description: ${long} }`, `b: { type: string, pattern: ${long} }`, `c: { type: string, enum: [${long}] }`, `d: { type: string, enum: [${values}] }`);
    const messages = (await catalogueErrors(envs)).map((e) => e.message);
    expect(messages).to.deep.equal([
      'flag "apple-pay" attribute "a": description is 1025 characters long; AppConfig takes at most 1024',
      'flag "apple-pay" attribute "b": pattern is 1025 characters long; AppConfig takes a pattern of at most 1024',
      'flag "apple-pay" attribute "c": enum value is 1025 characters long; AppConfig takes enum values of at most 1024',
      'flag "apple-pay" attribute "d": enum lists 101 values; AppConfig takes at most 100',
    ]);
  });

  it('refuses an attribute called "enabled", which AppConfig keeps for the flag\'s on/off value', async () => {
    declareAttribute(envs, "enabled: { type: boolean }");
    const [error] = await catalogueErrors(envs);
    expect(error).to.include({ line: envs.lineOf("pipeline.yaml", "enabled: { type: boolean }"), col: 7 });
    expect(error?.message).to.include('"enabled" is reserved');
  });

  it("refuses a flag name with a line break, which AppConfig does not take", async () => {
    envs.replace("pipeline.yaml", "    description: Offer Apple Pay", '    name: "Apple\\nPay"\n    description: Offer Apple Pay');
    const [error] = await catalogueErrors(envs);
    expect(error).to.include({ line: envs.lineOf("pipeline.yaml", "name: "), col: 11 });
    expect(error?.message).to.include("AppConfig takes a flag name of 1 to 64 characters without a line break");
  });

  describe("refuses at its line every attribute AppConfig's FeatureFlags rules refuse", () => {
    const refused: Record<string, Record<string, unknown>> = {
      "a fractional maximum": { type: "number", maximum: 0.5 },
      "a fractional minimum on number[]": { type: "number[]", minimum: -1.5 },
      "a pattern and an enum": { type: "string", pattern: "^a$", enum: ["a"] },
      "a pattern and an enum on string[]": { type: "string[]", pattern: "^a$", enum: ["a"] },
      "an enum on a number": { type: "number", enum: [1] },
      "an enum on a boolean": { type: "boolean", enum: ["yes"] },
      "a pattern on a boolean": { type: "boolean", pattern: "^a$" },
      "bounds on a string[]": { type: "string[]", minimum: 1 },
      "a fractional number in a string enum": { type: "string", enum: ["a", 1.5] },
      "an over-long description": { type: "string", description: "x".repeat(1025) },
      "an over-long enum value": { type: "string[]", enum: ["x".repeat(1025)] },
      "an over-long pattern": { type: "string", pattern: "x".repeat(1025) },
      "101 enum values": { type: "string", enum: Array.from({ length: 101 }, (_, i) => `v${i}`) },
    };
    for (const [shape, attribute] of Object.entries(refused)) {
      it(shape, async () => {
        expect(appConfigRefuses("probe", attribute), "AppConfig's rules accept it: the case is not a refusal").to.equal(true);
        declareAttribute(envs, `probe: ${JSON.stringify(attribute)}`);
        const errors = await catalogueErrors(envs);
        expect(errors, "no error in pipeline.yaml").to.not.deep.equal([]);
        expect(errors.every((e) => e.line === envs.lineOf("pipeline.yaml", "probe:") && e.message.startsWith('flag "apple-pay" attribute "probe": ')), JSON.stringify(errors)).to.equal(true);
      });
    }
  });

  it("refuses every combination of type, bounds, pattern, enum and required that AppConfig's rules refuse (1200 of them)", () => {
    const flags: Record<string, FlagDeclaration> = {};
    for (const type of ["string", "number", "boolean", "string[]", "number[]"] as const)
      for (const minimum of [undefined, -3, 0, 1.5])
        for (const maximum of [undefined, 0.5, 10])
          for (const pattern of [undefined, "^a+$"])
            for (const values of [undefined, ["a", "b"], [1, 2], [1.5], ["a", 2]])
              for (const required of [undefined, true]) {
                const attribute = { type, minimum, maximum, pattern, enum: values, required };
                const defined = Object.fromEntries(Object.entries(attribute).filter(([, v]) => v !== undefined)) as AttributeDeclaration;
                flags[`flag-${Object.keys(flags).length}`] = { description: "d", owner: "o", components: ["payments"], attributes: { probe: defined } };
              }
    const { source } = parseYaml(JSON.stringify({ flags }), "pipeline.yaml");
    const diagnostics = new Diagnostics();
    checkFlagCatalogue({ workload: "w", stages: ["beta"], components: {}, flags }, source!, TODAY, diagnostics);
    const missed = Object.entries(flags)
      .filter(([key, flag]) => appConfigRefuses("probe", flag.attributes!.probe!) && !diagnostics.all.some((d) => d.message.startsWith(`flag "${key}" attribute "probe": `)))
      .map(([, flag]) => flag.attributes?.probe);
    expect(missed).to.deep.equal([]);
    expect(diagnostics.errorCount, "the combinations include refusals").to.be.greaterThan(500);
  });

  describe("at the constraint that breaks a limit", () => {
    it("accepts what is exactly at AppConfig's limits", () => {
      const values = Array.from({ length: 100 }, (_, i) => `v${i}`).join(", ");
      expect(
        attributeProblems(
          `a: { type: string, description: ${"x".repeat(1024)} }`,
          `b: { type: string, pattern: ${"x".repeat(1024)} }`,
          `c: { type: string, enum: [${"x".repeat(1024)}] }`,
          `d: { type: string, enum: [${values}] }`,
          "e: { type: number, description: short, minimum: 5, maximum: 5 }",
        ),
      ).to.deep.equal([]);
    });

    it("points at the description, the pattern, the enum or the enum value that is too long", () => {
      const values = Array.from({ length: 101 }, (_, i) => `v${i}`).join(", ");
      expect(
        attributeProblems(
          "a:",
          "  type: string",
          `  description: ${"x".repeat(1025)}`,
          "b:",
          "  type: string",
          `  pattern: ${"x".repeat(1025)}`,
          "c:",
          "  type: string",
          `  enum: [ok, ${"x".repeat(1025)}]`,
          "d:",
          "  type: string",
          `  enum: [${values}]`,
        ),
      ).to.deep.equal([
        '9:22 flag "apple-pay" attribute "a": description is 1025 characters long; AppConfig takes at most 1024',
        '12:18 flag "apple-pay" attribute "b": pattern is 1025 characters long; AppConfig takes a pattern of at most 1024',
        '15:20 flag "apple-pay" attribute "c": enum value is 1025 characters long; AppConfig takes enum values of at most 1024',
        '18:15 flag "apple-pay" attribute "d": enum lists 101 values; AppConfig takes at most 100',
      ]);
    });

    it("says why a pattern does not compile, at the pattern", () => {
      expect(attributeProblems("wallet:", "  type: string", '  pattern: "^(apple"')).to.deep.equal([
        '9:18 flag "apple-pay" attribute "wallet": pattern is not a valid regular expression (/^(apple/: Unterminated group)',
      ]);
    });

    it("reports bounds on a string once, as not applying, without judging their values", () => {
      expect(attributeProblems("wallet: { type: string, minimum: 1.5, maximum: 0 }")).to.deep.equal([
        '7:31 flag "apple-pay" attribute "wallet": minimum does not apply to a string attribute; AppConfig constrains a string with pattern and enum only',
        '7:45 flag "apple-pay" attribute "wallet": maximum does not apply to a string attribute; AppConfig constrains a string with pattern and enum only',
      ]);
    });
  });
});
