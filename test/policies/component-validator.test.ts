import { expect } from "chai";
import { componentValidator } from "../../policies/component-validator";

const schema = {
  $schema: "http://json-schema.org/draft-04/schema#",
  type: "object",
  additionalProperties: false,
  properties: {
    logLevel: { enum: ["DEBUG", "INFO", "WARN", "ERROR"] },
    throttling: { type: "object", properties: { requestsPerSecond: { type: "integer", minimum: 1, maximum: 20000, exclusiveMaximum: true } } },
  },
};

describe("component schema validators", () => {
  it("judge config by the component's schema", () => {
    const validate = componentValidator(schema);
    expect(validate({ logLevel: "INFO", throttling: { requestsPerSecond: 800 } })).to.equal(true);
    expect(validate({ logLevel: "VERBOSE" })).to.equal(false);
  });

  it("read the schema as draft-04, the dialect AppConfig's JSON_SCHEMA validator evaluates", () => {
    // In draft-04 exclusiveMaximum is a flag on maximum; a later draft would not take `true` as a bound.
    const validate = componentValidator(schema);
    expect(validate({ throttling: { requestsPerSecond: 19999 } })).to.equal(true);
    expect(validate({ throttling: { requestsPerSecond: 20000 } })).to.equal(false);
  });

  it("report every error of a config, each with the schema it broke, so a message can list the keys allowed", () => {
    const validate = componentValidator(schema);
    expect(validate({ logLevel: "VERBOSE", colour: "blue" })).to.equal(false);
    const errors = validate.errors ?? [];
    expect(errors.map((error) => error.keyword)).to.have.members(["additionalProperties", "enum"]);
    expect(errors.find((error) => error.keyword === "additionalProperties")?.parentSchema).to.deep.equal(schema);
  });

  it("accept keywords a schema file carries for people, such as examples", () => {
    expect(() => componentValidator({ type: "object", properties: { logLevel: { type: "string", examples: ["INFO"] } } })).to.not.throw();
  });

  it("are compiled once per distinct schema", () => {
    expect(componentValidator(structuredClone(schema))).to.equal(componentValidator(schema));
    expect(componentValidator({ ...schema, additionalProperties: true })).to.not.equal(componentValidator(schema));
  });

  it("keep schemas that share an id apart: an edited schema, or another envs/ tree", () => {
    const before = componentValidator({ id: "https://example.com/checkout.json", type: "object", required: ["logLevel"] });
    const after = componentValidator({ id: "https://example.com/checkout.json", type: "object", required: ["throttling"] });
    expect(before({ logLevel: "INFO" })).to.equal(true);
    expect(after({ logLevel: "INFO" })).to.equal(false);
  });

  it("refuse a schema that is not valid", () => {
    expect(() => componentValidator({ type: "objekt" })).to.throw();
  });
});
