import { expect } from "chai";
import { featureFlagsViolations } from "../../../infra/appconfig/feature-flags-rules";

/** A document AppConfig accepts, to break one rule at a time. */
function validDocument() {
  return {
    version: "1",
    flags: {
      checkout: {
        name: "checkout",
        description: "One-page checkout",
        _deprecation: { status: "planned" },
        attributes: {
          percent: { constraints: { type: "number", minimum: 0, maximum: 100, required: true } },
          layout: { constraints: { type: "string", enum: ["compact", "expanded"] } },
          tags: { constraints: { type: "array", elements: { type: "string", pattern: "^[a-z]+$" } } },
        },
      },
    },
    values: { checkout: { enabled: true, percent: 10, layout: "compact", tags: ["a", "b"] } },
  };
}

describe("AppConfig's feature-flag rules", () => {
  it("accept a well-formed document", () => {
    expect(featureFlagsViolations(validDocument())).to.deep.equal([]);
  });

  it("accept a document with no flags at all", () => {
    expect(featureFlagsViolations({ version: "1" })).to.deep.equal([]);
  });

  it("refuse any format version but 1", () => {
    expect(featureFlagsViolations({ ...validDocument(), version: "2" })).to.include("/version must be equal to one of the allowed values");
  });

  it("refuse a flag key that does not start with a lower-case letter or is longer than 64 characters", () => {
    for (const key of ["Checkout", "1checkout", `c${"x".repeat(64)}`]) {
      const document = { version: "1", flags: { [key]: { name: "n" } } };
      expect(featureFlagsViolations(document), key).to.include("/flags must NOT have additional properties");
    }
  });

  it("accept more than 100 flags, which AppConfig's published schema no longer caps", () => {
    const flags = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`flag${i}`, { name: `flag ${i}` }]));
    const values = Object.fromEntries(Object.keys(flags).map((key) => [key, { enabled: false }]));
    expect(featureFlagsViolations({ version: "1", flags, values })).to.deep.equal([]);
  });

  it("refuse more than 25 attributes on a flag", () => {
    const attributes = Object.fromEntries(
      Array.from({ length: 26 }, (_, i) => [`a${i}`, { constraints: { type: "boolean" } }]),
    );
    const document = { version: "1", flags: { checkout: { name: "n", attributes } } };
    expect(featureFlagsViolations(document)).to.include("/flags/checkout/attributes must NOT have more than 25 properties");
  });

  it("refuse a constraint kind AppConfig does not know, and a string constrained by both a pattern and an enum", () => {
    const document = validDocument();
    (document.flags.checkout.attributes.layout.constraints as Record<string, unknown>).pattern = "^c";
    expect(featureFlagsViolations(document)).to.include("/flags/checkout/attributes/layout/constraints must match exactly one schema in oneOf");
    const other = validDocument();
    (other.flags.checkout.attributes.percent.constraints as Record<string, unknown>).type = "integer";
    expect(featureFlagsViolations(other)).to.include("/flags/checkout/attributes/percent/constraints must match exactly one schema in oneOf");
  });

  it("refuse number bounds that are not integers", () => {
    const document = validDocument();
    document.flags.checkout.attributes.percent.constraints.maximum = 0.5;
    expect(featureFlagsViolations(document)).to.include("/flags/checkout/attributes/percent/constraints must match exactly one schema in oneOf");
  });

  it("refuse a deprecation status other than planned", () => {
    const document = validDocument();
    document.flags.checkout._deprecation.status = "done";
    expect(featureFlagsViolations(document)).to.include("/flags/checkout/_deprecation/status must be equal to one of the allowed values");
  });

  it("refuse a value without enabled", () => {
    const document = { ...validDocument(), values: { checkout: { percent: 10 } } };
    expect(featureFlagsViolations(document)).to.include("/values/checkout must have required property 'enabled'");
  });

  it("refuse values of an undefined flag or attribute", () => {
    const document = validDocument();
    Object.assign(document.values, { ghost: { enabled: true } });
    Object.assign(document.values.checkout, { colour: "red" });
    expect(featureFlagsViolations(document)).to.have.members([
      "/values/checkout/colour is not an attribute of flag checkout",
      "/values/ghost has a value but no flag definition",
    ]);
  });

  it("refuse attribute values outside their constraints", () => {
    const document = validDocument();
    Object.assign(document.values.checkout, { percent: 101, layout: "wide", tags: ["A"] });
    expect(featureFlagsViolations(document)).to.have.members([
      "/values/checkout/percent must be <= 100",
      "/values/checkout/layout must be one of compact, expanded",
      "/values/checkout/tags must match ^[a-z]+$",
    ]);
  });

  it("refuse an enabled flag without its required attributes, and allow a disabled one", () => {
    const enabled = { ...validDocument(), values: { checkout: { enabled: true } } };
    expect(featureFlagsViolations(enabled)).to.deep.equal(["/values/checkout is enabled but lacks its required attribute percent"]);
    const disabled = { ...validDocument(), values: { checkout: { enabled: false } } };
    expect(featureFlagsViolations(disabled)).to.deep.equal([]);
  });
});
