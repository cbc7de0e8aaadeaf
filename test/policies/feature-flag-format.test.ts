import { expect } from "chai";
import { featureFlagProblems } from "../../policies/feature-flag-format";

/** A one-flag document, its flag and value changed by the caller. */
function documentWith(flag: Record<string, unknown>, value: unknown = { enabled: true }, key = "checkout"): Record<string, unknown> {
  return { version: "1", flags: { [key]: { name: "Checkout", ...flag } }, values: { [key]: value } };
}

/** The problems of one attribute declared with `constraints` and given `value`. */
function attributeProblems(constraints: unknown, value?: unknown): string[] {
  const values = value === undefined ? { enabled: true } : { enabled: true, limit: value };
  return featureFlagProblems(documentWith({ attributes: { limit: { constraints } } }, values));
}

const AT = 'flag "checkout" attribute "limit"';

describe("AppConfig's feature-flag format", () => {
  describe("the document", () => {
    it("is valid with a version, flags and their values", () => {
      expect(featureFlagProblems(documentWith({}))).to.deep.equal([]);
      expect(featureFlagProblems({ version: "1", flags: {}, values: {} })).to.deep.equal([]);
    });

    it("is a JSON object", () => {
      for (const document of [null, [], "flags"]) expect(featureFlagProblems(document), JSON.stringify(document)).to.deep.equal(["the document must be a JSON object"]);
    });

    it('has version "1", the string', () => {
      expect(featureFlagProblems({ version: 1, flags: {}, values: {} })).to.deep.equal(['version must be "1", found 1']);
      expect(featureFlagProblems({ flags: {}, values: {} })).to.deep.equal(['version must be "1", found undefined']);
    });

    it("has flags and values as objects", () => {
      expect(featureFlagProblems({ version: "1", flags: [], values: "x" })).to.deep.equal(["flags must be an object", "values must be an object"]);
    });

    it("still checks each flag when values is not an object, as a flag without a value", () => {
      expect(featureFlagProblems({ version: "1", flags: { checkout: { name: "Checkout" } }, values: [] })).to.deep.equal([
        "values must be an object",
        'flag "checkout" has no entry in values',
      ]);
    });

    it("has at most 100 flags", () => {
      const document = (count: number) => {
        const keys = Array.from({ length: count }, (_, i) => `flag${i}`);
        return {
          version: "1",
          flags: Object.fromEntries(keys.map((key) => [key, { name: key }])),
          values: Object.fromEntries(keys.map((key) => [key, { enabled: false }])),
        };
      };
      expect(featureFlagProblems(document(100))).to.deep.equal([]);
      expect(featureFlagProblems(document(101))).to.deep.equal(["more than 100 flags in one profile"]);
    });

    it("has values only for declared flags", () => {
      expect(featureFlagProblems({ ...documentWith({}), values: { checkout: { enabled: true }, ghost: { enabled: true } } })).to.deep.equal([
        'values has an entry for "ghost", which is not a declared flag',
      ]);
    });
  });

  describe("a flag", () => {
    it("has a key of a lower-case letter and up to 63 more letters, digits, - or _", () => {
      for (const key of ["a", "one-page_checkout2", `a${"b".repeat(63)}`]) {
        expect(featureFlagProblems(documentWith({}, { enabled: true }, key)), key).to.deep.equal([]);
      }
      for (const key of ["Checkout", "1checkout", "check.out", `a${"b".repeat(64)}`, "check out", "-checkout"]) {
        expect(featureFlagProblems(documentWith({}, { enabled: true }, key)), key).to.deep.equal([
          `flag "${key}": key must start with a lower-case letter and have at most 64 letters, digits, "-" or "_"`,
        ]);
      }
    });

    it("is an object", () => {
      expect(featureFlagProblems({ version: "1", flags: { checkout: true }, values: { checkout: { enabled: true } } })).to.deep.equal([
        'flag "checkout" must be an object',
      ]);
    });

    it("has a name of 1 to 64 characters", () => {
      expect(featureFlagProblems(documentWith({ name: "x".repeat(64) }))).to.deep.equal([]);
      for (const name of ["", "x".repeat(65), 42, undefined]) {
        expect(featureFlagProblems(documentWith({ name })), String(name)).to.deep.equal(['flag "checkout" needs a name of 1 to 64 characters']);
      }
    });

    it("may have a description of at most 1024 characters", () => {
      expect(featureFlagProblems(documentWith({ description: "d".repeat(1024) }))).to.deep.equal([]);
      for (const description of ["d".repeat(1025), 42]) {
        expect(featureFlagProblems(documentWith({ description })), String(description).slice(0, 8)).to.deep.equal([
          'flag "checkout": description must be a string of at most 1024 characters',
        ]);
      }
    });

    it('may be marked for deprecation, with status "planned" only', () => {
      expect(featureFlagProblems(documentWith({ _deprecation: { status: "planned" } }))).to.deep.equal([]);
      for (const deprecation of [{ status: "done" }, "planned"]) {
        expect(featureFlagProblems(documentWith({ _deprecation: deprecation })), JSON.stringify(deprecation)).to.deep.equal([
          'flag "checkout": _deprecation must have status "planned"',
        ]);
      }
    });

    it("has attributes as an object, at most 25 of them", () => {
      const attributes = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`a${i}`, { constraints: { type: "boolean" } }]));
      expect(featureFlagProblems(documentWith({ attributes: attributes(25) }))).to.deep.equal([]);
      expect(featureFlagProblems(documentWith({ attributes: attributes(26) }))).to.deep.equal(['flag "checkout" has more than 25 attributes']);
      expect(featureFlagProblems(documentWith({ attributes: ["limit"] }))).to.deep.equal(['flag "checkout": attributes must be an object']);
    });

    it("names its attributes like flags", () => {
      expect(featureFlagProblems(documentWith({ attributes: { Limit: { constraints: { type: "number" } } } }))).to.deep.equal([
        'flag "checkout" attribute "Limit": name must start with a lower-case letter',
      ]);
    });

    it("has an entry in values, saying whether it is enabled", () => {
      expect(featureFlagProblems({ ...documentWith({}), values: {} })).to.deep.equal(['flag "checkout" has no entry in values']);
      expect(featureFlagProblems(documentWith({}, { enabled: "yes" }))).to.deep.equal(['flag "checkout": values.enabled must be true or false']);
      expect(featureFlagProblems(documentWith({}, {}))).to.deep.equal(['flag "checkout": values.enabled must be true or false']);
    });

    it("reports its own problems before a missing value", () => {
      expect(featureFlagProblems({ ...documentWith({ name: "" }), values: {} })).to.deep.equal([
        'flag "checkout" needs a name of 1 to 64 characters',
        'flag "checkout" has no entry in values',
      ]);
    });

    it("has values only for declared attributes, besides enabled and AppConfig's own _ keys", () => {
      expect(featureFlagProblems(documentWith({}, { enabled: true, _variant: "a", limit: 3 }))).to.deep.equal([
        'flag "checkout": value for undeclared attribute "limit"',
      ]);
    });

    it("reports a value for an attribute whose constraints are broken only through the constraints", () => {
      expect(featureFlagProblems(documentWith({ attributes: { limit: { constraints: { type: "date" } } } }, { enabled: true, limit: "x" }))).to.deep.equal([
        `${AT}: constraint type "date" is not one of number, string, boolean, array`,
      ]);
      expect(featureFlagProblems(documentWith({ attributes: { limit: "number" } }, { enabled: true, limit: 3 }))).to.deep.equal([
        `${AT}: constraints must be an object with a type`,
      ]);
    });

    it("has a value for each required attribute while it is enabled", () => {
      const flag = { attributes: { limit: { constraints: { type: "number", required: true } }, note: { constraints: { type: "string" } } } };
      expect(featureFlagProblems(documentWith(flag, { enabled: true }))).to.deep.equal(['flag "checkout": required attribute "limit" has no value']);
      expect(featureFlagProblems(documentWith(flag, { enabled: false }))).to.deep.equal([]);
      expect(featureFlagProblems(documentWith(flag, { enabled: true, limit: 3 }))).to.deep.equal([]);
    });
  });

  describe("an attribute's constraints", () => {
    it("have one of AppConfig's types", () => {
      for (const type of ["number", "string", "boolean", "array"]) expect(attributeProblems({ type }), type).to.deep.equal([]);
      expect(attributeProblems({})).to.deep.equal([`${AT}: constraint type undefined is not one of number, string, boolean, array`]);
    });

    it("allow a pattern or an enum on strings only, not both", () => {
      expect(attributeProblems({ type: "string", pattern: "^[a-z]+$" })).to.deep.equal([]);
      expect(attributeProblems({ type: "string", enum: ["a"] })).to.deep.equal([]);
      expect(attributeProblems({ type: "number", pattern: "^1$" })).to.deep.equal([`${AT}: pattern and enum apply only to string attributes`]);
      expect(attributeProblems({ type: "number", enum: [1] })).to.deep.equal([`${AT}: pattern and enum apply only to string attributes`]);
      expect(attributeProblems({ type: "string", pattern: "^a$", enum: ["a"] })).to.deep.equal([`${AT}: use a pattern or an enum, not both`]);
    });

    it("list 1 to 100 values in an enum", () => {
      expect(attributeProblems({ type: "string", enum: Array.from({ length: 100 }, (_, i) => `v${i}`) })).to.deep.equal([]);
      for (const values of [[], Array.from({ length: 101 }, (_, i) => `v${i}`), "a,b"]) {
        expect(attributeProblems({ type: "string", enum: values }), JSON.stringify(values).slice(0, 12)).to.deep.equal([`${AT}: enum must list 1 to 100 values`]);
      }
    });

    it("bound numbers only, with integers, the minimum not above the maximum", () => {
      expect(attributeProblems({ type: "number", minimum: 5, maximum: 5 })).to.deep.equal([]);
      expect(attributeProblems({ type: "string", minimum: 1, maximum: 2 })).to.deep.equal([
        `${AT}: minimum applies only to number attributes`,
        `${AT}: maximum applies only to number attributes`,
      ]);
      expect(attributeProblems({ type: "number", minimum: 0.5, maximum: 1.5 })).to.deep.equal([`${AT}: minimum must be an integer`, `${AT}: maximum must be an integer`]);
      expect(attributeProblems({ type: "number", minimum: 6, maximum: 5 })).to.deep.equal([`${AT}: minimum 6 is above maximum 5`]);
      // A bound that is not a number is reported as such, and never compared with the other.
      expect(attributeProblems({ type: "number", minimum: "6", maximum: 5 })).to.deep.equal([`${AT}: minimum must be an integer`]);
      expect(attributeProblems({ type: "number", minimum: 6, maximum: "5" })).to.deep.equal([`${AT}: maximum must be an integer`]);
    });

    it("constrain an array's elements as numbers or strings", () => {
      expect(attributeProblems({ type: "array", elements: { type: "string", pattern: "^[a-z]+$" } })).to.deep.equal([]);
      expect(attributeProblems({ type: "array", elements: { type: "boolean" } })).to.deep.equal([`${AT} elements: constraint type "boolean" is not one of number, string`]);
      expect(attributeProblems({ type: "array", elements: { type: "array" } })).to.deep.equal([`${AT} elements: constraint type "array" is not one of number, string`]);
      expect(attributeProblems({ type: "string", elements: { type: "string" } })).to.deep.equal([`${AT}: elements applies only to array attributes`]);
      expect(attributeProblems({ type: "number", elements: { type: "boolean" } })).to.deep.equal([`${AT}: elements applies only to array attributes`]);
    });
  });

  describe("an attribute's value", () => {
    it("has the attribute's type", () => {
      expect(attributeProblems({ type: "number" }, "3")).to.deep.equal([`${AT} is string, expected number`]);
      expect(attributeProblems({ type: "string" }, null)).to.deep.equal([`${AT} is null, expected string`]);
      expect(attributeProblems({ type: "boolean" }, [true])).to.deep.equal([`${AT} is an array, expected boolean`]);
      expect(attributeProblems({ type: "boolean" }, false)).to.deep.equal([]);
    });

    it("is a string of at most 1024 characters", () => {
      expect(attributeProblems({ type: "string" }, "s".repeat(1024))).to.deep.equal([]);
      expect(attributeProblems({ type: "string" }, "s".repeat(1025))).to.deep.equal([`${AT} is longer than 1024 characters`]);
    });

    it("is one of the enum, matches the pattern, and is within the bounds", () => {
      expect(attributeProblems({ type: "string", enum: ["compact"] }, "wide")).to.deep.equal([`${AT} = "wide" is not one of ["compact"]`]);
      expect(attributeProblems({ type: "string", pattern: "^[a-z]+$" }, "Wide")).to.deep.equal([`${AT} = "Wide" does not match ^[a-z]+$`]);
      expect(attributeProblems({ type: "number", minimum: 1, maximum: 9 }, 0)).to.deep.equal([`${AT} = 0 is below the minimum 1`]);
      expect(attributeProblems({ type: "number", minimum: 1, maximum: 9 }, 10)).to.deep.equal([`${AT} = 10 is above the maximum 9`]);
      for (const value of [1, 9]) expect(attributeProblems({ type: "number", minimum: 1, maximum: 9 }, value), String(value)).to.deep.equal([]);
    });

    it("is an array of strings or of numbers, each element within the element constraints", () => {
      const constraints = { type: "array", elements: { type: "number", maximum: 9 } };
      expect(attributeProblems(constraints, [1, 9])).to.deep.equal([]);
      expect(attributeProblems(constraints, [])).to.deep.equal([]);
      expect(attributeProblems(constraints, [1, 10, 3, 12])).to.deep.equal([`${AT}[1] = 10 is above the maximum 9`, `${AT}[3] = 12 is above the maximum 9`]);
      expect(attributeProblems(constraints, 1)).to.deep.equal([`${AT} is number, expected an array`]);
      expect(attributeProblems(constraints, [1, "2"])).to.deep.equal([`${AT} must be an array of strings or an array of numbers`]);
      expect(attributeProblems(constraints, [true])).to.deep.equal([`${AT} must be an array of strings or an array of numbers`]);
      expect(attributeProblems({ type: "array" }, ["a", "b"])).to.deep.equal([]);
      expect(attributeProblems({ type: "array" }, [1, 2])).to.deep.equal([]);
    });
  });
});
