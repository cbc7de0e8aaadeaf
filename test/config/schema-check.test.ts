import { expect } from "chai";
import type { ValidateFunction } from "ajv";
import standaloneCode from "ajv/dist/standalone";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { DATE_FORMATS } from "../../cli/config/date-format";
import { Diagnostics } from "../../cli/config/diagnostics";
import { FORMAT_VALIDATORS } from "../../cli/config/load";
import { formatValidatorSpec, pointerToPath, reportSchemaErrors } from "../../cli/config/schema-check";
import { parseYaml } from "../../cli/config/source";
import type { ValidatorSpec } from "../../infra/compiled-validator";
import { SAMPLE_ENVS } from "../support/sample-envs";

const [PIPELINE_FILE, STAGE_FILE] = FORMAT_VALIDATORS;

const compiled = new Map<ValidatorSpec, ValidateFunction>();
/** The spec's validator, compiled once for this file: the messages are what these specs are about. */
function validatorOf(spec: ValidatorSpec): ValidateFunction {
  let validate = compiled.get(spec);
  if (validate === undefined) {
    validate = spec.ajv().compile(spec.schema);
    compiled.set(spec, validate);
  }
  return validate;
}

/** The sample's `file` with `from` replaced by `to` (failing loudly when `from` is absent). */
function sampleWith(file: string, from: string | RegExp, to: string): string {
  const text = readFileSync(path.join(SAMPLE_ENVS, file), "utf8");
  if (typeof from === "string" ? !text.includes(from) : !from.test(text)) throw new Error(`${file} does not contain ${String(from)}`);
  return text.replace(from, to);
}

/** Each problem `validate` finds in `text`, as `line:col message`. */
function problemsIn(text: string, validate: ValidateFunction): string[] {
  const { source } = parseYaml(text, "envs/gamma.yaml");
  if (source === undefined) throw new Error("the test document does not parse");
  const diagnostics = new Diagnostics();
  validate(source.data);
  reportSchemaErrors(diagnostics, source, validate.errors);
  return diagnostics.all.map((d) => `${d.line}:${d.col} ${d.message}`);
}

const lineOf = (text: string, needle: string) => text.split("\n").findIndex((line) => line.includes(needle)) + 1;

describe("schema errors in words a user can act on", () => {
  const stageProblems = (from: string | RegExp, to: string) => {
    const text = sampleWith("gamma.yaml", from, to);
    return { text, problems: problemsIn(text, validatorOf(STAGE_FILE)) };
  };
  const pipelineProblems = (from: string | RegExp, to: string) => {
    const text = sampleWith("pipeline.yaml", from, to);
    return { text, problems: problemsIn(text, validatorOf(PIPELINE_FILE)) };
  };

  it("finds nothing in the sample's files", () => {
    expect(problemsIn(readFileSync(path.join(SAMPLE_ENVS, "gamma.yaml"), "utf8"), validatorOf(STAGE_FILE))).to.deep.equal([]);
    expect(problemsIn(readFileSync(path.join(SAMPLE_ENVS, "pipeline.yaml"), "utf8"), validatorOf(PIPELINE_FILE))).to.deep.equal([]);
  });

  it("names a missing key at the key of the mapping that lacks it", () => {
    const { text, problems } = stageProblems("  finalBakeMinutes: 10\n", "");
    expect(problems).to.deep.equal([`${lineOf(text, "rollout:")}:1 missing required key "finalBakeMinutes" in "rollout"`]);
  });

  it("lists the keys a mapping takes beside an unknown one", () => {
    const { text, problems } = stageProblems("  growthFactor: 25\n", "  growthFactor: 25\n  jitter: 3\n");
    expect(problems).to.deep.equal([`${lineOf(text, "jitter")}:3 unknown key "jitter" in "rollout"; expected one of: durationMinutes, growthType, growthFactor, finalBakeMinutes`]);
  });

  it("says which values a key takes", () => {
    const { text, problems } = stageProblems("growthType: LINEAR", "growthType: STEP");
    expect(problems).to.deep.equal([`${lineOf(text, "STEP")}:15 "rollout.growthType": expected one of "LINEAR", "EXPONENTIAL", got "STEP"`]);
  });

  it("gives the bound a number broke, whichever bound it is", () => {
    const low = stageProblems("bakeMinutes: 30", "bakeMinutes: -1");
    expect(low.problems).to.deep.equal([`${lineOf(low.text, "bakeMinutes")}:18 "waves.0.bakeMinutes": expected a number >= 0, got -1`]);
    const high = stageProblems("bakeMinutes: 30", "bakeMinutes: 20000");
    expect(high.problems).to.deep.equal([`${lineOf(high.text, "bakeMinutes")}:18 "waves.0.bakeMinutes": expected a number <= 10080, got 20000`]);
    const zero = stageProblems("timeoutSeconds: 900", "timeoutSeconds: 0");
    expect(zero.problems).to.deep.equal([`${lineOf(zero.text, "timeoutSeconds")}:21 "verify.2.timeoutSeconds": expected a number > 0, got 0`]);
  });

  it("reports every problem of a file, not only the first", () => {
    const text = sampleWith("gamma.yaml", "growthFactor: 25", "growthFactor: 0").replace("bakeMinutes: 30", "bakeMinutes: -1");
    // Compiled here, not shared: the option that asks ajv for every error is what this checks.
    const validate = STAGE_FILE.ajv().compile(STAGE_FILE.schema);
    expect(problemsIn(text, validate)).to.deep.equal([
      `${lineOf(text, "growthFactor")}:17 "rollout.growthFactor": expected a number >= 1, got 0`,
      `${lineOf(text, "bakeMinutes")}:18 "waves.0.bakeMinutes": expected a number >= 0, got -1`,
    ]);
  });

  it("uses a value's description to say what it must look like, and the pattern when it has none", () => {
    const named = stageProblems("name: checkout-page", "name: Checkout_Page");
    expect(named.problems).to.deep.equal([
      `${lineOf(named.text, "Checkout_Page")}:11 "verify.1.name": expected a lower-case name of letters, digits and dashes, starting with a letter, got "Checkout_Page"`,
    ]);
    const unnamed = stageProblems("jsonPath: $.checks.database", "jsonPath: $.checks database");
    expect(unnamed.problems).to.deep.equal([
      `${lineOf(unnamed.text, "jsonPath")}:15 "verify.0.jsonPath": expected a value matching ^(\\$)?(\\.?[A-Za-z_][A-Za-z0-9_-]*|\\[[0-9]+\\])*$, got "$.checks database"`,
    ]);
  });

  it("reports a value that fits none of its shapes once, by the shapes' description, not once per shape", () => {
    const { text, problems } = stageProblems("run: [npm, run, acceptance, --, --reporter, dot]", "run: 5");
    expect(problems).to.deep.equal([`${lineOf(text, "run: 5")}:10 "verify.2.run": expected a shell command line (run with sh -c) or an array of a program and its arguments, got 5`]);
  });

  it("says 'a value of another shape' where the shapes have no description", () => {
    const { text, problems } = stageProblems("  apple-pay: { enabled: true }", "  apple-pay: { enabled: true, wallet: { kind: apple } }");
    expect(problems).to.deep.equal([`${lineOf(text, "wallet")}:39 "flags.apple-pay.wallet": expected a value of another shape, got {"kind":"apple"}`]);
  });

  it("counts characters and items in words", () => {
    const url = stageProblems("url: https://{region}.{stage}.storefront.example.com/checkout", 'url: ""');
    expect(url.problems).to.deep.equal([`${lineOf(url.text, 'url: ""')}:10 "verify.1.url": expected at least 1 character, got ""`]);
    const name = pipelineProblems("  apple-pay:\n", `  apple-pay:\n    name: ${"n".repeat(65)}\n`);
    expect(name.problems).to.deep.equal([`${lineOf(name.text, "nnnn")}:11 "flags.apple-pay.name": expected at most 64 characters, got "${"n".repeat(65)}"`]);
  });

  it("names two equal items of a list by their positions", () => {
    const { text, problems } = pipelineProblems("stages: [beta, gamma, prod]", "stages: [beta, gamma, beta]");
    expect(problems).to.deep.equal([`${lineOf(text, "stages:")}:9 "stages": expected no item twice (items 2 and 0 are the same), got ["beta","gamma","beta"]`]);
  });

  it("says a date must be a calendar date", () => {
    const { text, problems } = pipelineProblems("expires: 2027-01-15", "expires: 2027-02-30");
    expect(problems).to.deep.equal([`${lineOf(text, "expires:")}:14 "flags.holiday-banner-2026.expires": expected a date (YYYY-MM-DD), got "2027-02-30"`]);
  });

  it("says which types a value may have", () => {
    const { text, problems } = pipelineProblems("enum: [compact, expanded]", "enum: [compact, true]");
    expect(problems).to.deep.equal([`${lineOf(text, "enum:")}:25 "flags.one-page-checkout.attributes.layout.enum.1": expected string or number, got true`]);
  });

  it("reports a bad name at the name itself", () => {
    const { text, problems } = pipelineProblems("\n  apple-pay:", "\n  Apple-Pay:");
    expect(problems).to.deep.equal([
      `${lineOf(text, "Apple-Pay")}:3 invalid name "Apple-Pay" in "flags": expected a flag key AppConfig accepts: a lowercase letter first, then letters, digits, _ or - (64 characters at most), got "Apple-Pay"`,
    ]);
  });

  it("reports a check of a known type by its own shape only, and a check of no known type once", () => {
    const typo = stageProblems("  - type: command\n    name: acceptance\n", "  - type: comand\n    name: acceptance\n");
    expect(typo.problems).to.deep.equal([`${lineOf(typo.text, "comand")}:11 "verify.2.type": expected one of "http", "command", got "comand"`]);
    const halfPair = stageProblems("    equals: up\n", "");
    expect(halfPair.problems).to.deep.equal([`${lineOf(halfPair.text, "verify:") + 1}:5 "verify.0": must have property equals when property jsonPath is present, got ${JSON.stringify(halfPairCheck())}`]);
  });

  it("reports a document that is not a mapping as the file", () => {
    expect(problemsIn("- beta\n", validatorOf(STAGE_FILE))).to.deep.equal(['1:1 the file: expected object, got ["beta"]']);
  });

  it("places a component's problems under its config, where the stage file holds them", () => {
    const { source } = parseYaml("config:\n  checkout:\n    logLevel: LOUD\n", "envs/gamma.yaml");
    const component = { type: "object", properties: { logLevel: { enum: ["INFO"] } } };
    const validate = formatValidatorSpec("t", component).ajv().compile(component);
    validate({ logLevel: "LOUD" });
    const diagnostics = new Diagnostics();
    reportSchemaErrors(diagnostics, source!, validate.errors, ["config", "checkout"]);
    expect(diagnostics.all.map((d) => `${d.line}:${d.col} ${d.message}`)).to.deep.equal(['3:15 "config.checkout.logLevel": expected one of "INFO", got "LOUD"']);
  });

  it("reports nothing when the validator found nothing", () => {
    const diagnostics = new Diagnostics();
    const { source } = parseYaml("a: 1\n", "f.yaml");
    reportSchemaErrors(diagnostics, source!, null);
    reportSchemaErrors(diagnostics, source!, undefined);
    expect(diagnostics.all).to.deep.equal([]);
  });
});

/** The first verify check of the sample gamma.yaml without its `equals`, as the validator sees it. */
function halfPairCheck(): unknown {
  const { source } = parseYaml(sampleWith("gamma.yaml", "    equals: up\n", ""), "envs/gamma.yaml");
  return (source?.data as { verify: unknown[] }).verify[0];
}

describe("the validator of one of dcp's file formats", () => {
  const schema = {
    type: "object",
    additionalProperties: false,
    properties: { expires: { type: "string", format: "date" }, limit: { type: "number", exclusiveMaximum: 10 }, code: { type: "string", minLength: 3, maxLength: 4 }, tags: { type: "array", maxItems: 1 } },
  };

  it("checks dates as calendar dates", () => {
    const validate = formatValidatorSpec("t", schema).ajv().compile(schema);
    expect(validate({ expires: "2026-02-28" })).to.equal(true);
    expect(validate({ expires: "2026-02-30" })).to.equal(false);
  });

  it("words the bounds of a component's own schema too", () => {
    const validate = formatValidatorSpec("t", schema).ajv().compile(schema);
    expect(problemsIn("limit: 10\ncode: ab\ntags: [a, b]\n", validate)).to.deep.equal([
      '1:8 "limit": expected a number < 10, got 10',
      '2:7 "code": expected at least 3 characters, got "ab"',
      '3:7 "tags": expected at most 1 item, got ["a","b"]',
    ]);
    expect(problemsIn("code: abcde\nother: 1\n", validate)).to.deep.equal(['2:1 unknown key "other" in the file; expected one of: expires, limit, code, tags', '1:7 "code": expected at most 4 characters, got "abcde"']);
  });

  it("says only 'unknown key' where a mapping takes no key at all", () => {
    const closed = { type: "object", additionalProperties: false };
    expect(problemsIn("other: 1\n", formatValidatorSpec("t", closed).ajv().compile(closed))).to.deep.equal(['1:1 unknown key "other" in the file']);
  });

  it("refuses a schema with a keyword ajv does not know, such as a misspelt bound", () => {
    const misspelt = { type: "number", minimun: 1 };
    expect(() => formatValidatorSpec("t", misspelt).ajv().compile(misspelt)).to.throw(/unknown keyword: "minimun"/);
  });

  it("compiles the real formats, whose flag values take several types", () => {
    for (const spec of FORMAT_VALIDATORS) expect(() => spec.ajv().compile(spec.schema)).to.not.throw();
  });

  it("generates code at build time that checks dates with dcp's own calendar check, found beside the built CLI", () => {
    const ajv = formatValidatorSpec("t", schema).ajv({ code: { source: true } });
    const code = standaloneCode(ajv, ajv.compile(schema));
    const required: string[] = [];
    const module = { exports: {} as unknown };
    const requireFromValidators = (id: string) => {
      required.push(id);
      if (id === "../cli/config/date-format.js") return { DATE_FORMATS };
      // eslint-disable-next-line @typescript-eslint/no-require-imports, security/detect-non-literal-require -- ajv's runtime helpers, as the generated module requires them
      return require(id) as unknown;
    };
    // The build's generated module, evaluated as Node would load it from dist/validators/.
    new Function("require", "module", "exports", code)(requireFromValidators, module, module.exports);
    const validate = module.exports as ValidateFunction;
    expect(required).to.include("../cli/config/date-format.js");
    expect(validate({ expires: "2026-02-28" })).to.equal(true);
    expect(validate({ expires: "2026-02-30" })).to.equal(false);
  });
});

describe("JSON pointers as paths", () => {
  it("unescapes ~1 and ~0 and turns indices into numbers", () => {
    expect(pointerToPath("")).to.deep.equal([]);
    expect(pointerToPath("/config/a~1b/x~0y/waves/12/x1/1x")).to.deep.equal(["config", "a/b", "x~y", "waves", 12, "x1", "1x"]);
  });
});
