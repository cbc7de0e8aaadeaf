import { expect } from "chai";
import {
  componentConfigMatchesSchema,
  componentProfileHasSchemaValidator,
  noDebugLoggingInProduction,
  operationalLimitsInBounds,
} from "../../policies/operational-config";
import { violationsOf, type ResourceUnderTest } from "./harness";

const VERSION = "aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion";

const schema = {
  $schema: "http://json-schema.org/draft-04/schema#",
  type: "object",
  additionalProperties: false,
  required: ["logLevel", "throttling"],
  properties: {
    logLevel: { enum: ["DEBUG", "INFO", "WARN", "ERROR"] },
    throttling: {
      type: "object",
      properties: { requestsPerSecond: { type: "integer", minimum: 1, maximum: 20000 }, burst: { type: "integer", minimum: 1 } },
    },
    connections: { type: "object", properties: { max: { type: "integer", minimum: 1, maximum: 2000 } } },
  },
};

function config(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { logLevel: "ERROR", throttling: { requestsPerSecond: 800, burst: 1000 }, connections: { max: 150 }, ...overrides };
}

function getHappyPathArgs(content: unknown = config()): ResourceUnderTest {
  return { type: VERSION, name: "checkout", props: { applicationId: "app", configurationProfileId: "p", contentType: "application/json", content: JSON.stringify(content) } };
}

describe("operational config policies", () => {
  describe("no-debug-logging-in-production", () => {
    const production = { production: true };

    it("passes a production config logging at ERROR", async () => {
      expect(await violationsOf(noDebugLoggingInProduction, getHappyPathArgs(), production)).to.deep.equal([]);
    });

    it("rejects DEBUG logging in a production stage", async () => {
      const messages = await violationsOf(noDebugLoggingInProduction, getHappyPathArgs(config({ logLevel: "DEBUG" })), production);
      expect(messages).to.have.length(1);
      expect(messages[0]).to.match(/^logLevel is DEBUG in a production stage/);
    });

    it("rejects TRACE logging nested in a section, whatever its case", async () => {
      const messages = await violationsOf(noDebugLoggingInProduction, getHappyPathArgs(config({ audit: { log_level: "trace" } })), production);
      expect(messages[0]).to.match(/^audit.log_level is trace/);
    });

    it("allows DEBUG logging in a stage that is not production", async () => {
      expect(await violationsOf(noDebugLoggingInProduction, getHappyPathArgs(config({ logLevel: "DEBUG" })), { production: false })).to.deep.equal([]);
    });

    it("treats a stage as not production when config does not say", async () => {
      expect(await violationsOf(noDebugLoggingInProduction, getHappyPathArgs(config({ logLevel: "DEBUG" })))).to.deep.equal([]);
    });
  });

  describe("operational-limits-in-bounds", () => {
    it("passes limits inside the default bounds", async () => {
      expect(await violationsOf(operationalLimitsInBounds, getHappyPathArgs())).to.deep.equal([]);
    });

    it("rejects a rate above the component's configured maximum", async () => {
      const limits = { checkout: { "throttling.requestsPerSecond": { minimum: 1, maximum: 500 } } };
      const messages = await violationsOf(operationalLimitsInBounds, getHappyPathArgs(), { limits });
      expect(messages).to.deep.equal(["throttling.requestsPerSecond = 800 is above the maximum 500."]);
    });

    it("rejects a connection limit below the minimum", async () => {
      const messages = await violationsOf(operationalLimitsInBounds, getHappyPathArgs(config({ connections: { max: 0 } })));
      expect(messages).to.deep.equal(["connections.max = 0 is below the minimum 1."]);
    });

    it("rejects a limit that is not a number", async () => {
      const messages = await violationsOf(operationalLimitsInBounds, getHappyPathArgs(config({ connections: { max: "lots" } })));
      expect(messages).to.deep.equal(['connections.max is "lots", expected a number.']);
    });

    it("rejects a burst below the sustained rate", async () => {
      const messages = await violationsOf(operationalLimitsInBounds, getHappyPathArgs(config({ throttling: { requestsPerSecond: 800, burst: 100 } })));
      expect(messages[0]).to.match(/^throttling.burst = 100 is below throttling.requestsPerSecond = 800/);
    });

    it("uses the \"*\" bounds for a component without its own", async () => {
      const limits = { "*": { "connections.max": { maximum: 100 } } };
      expect(await violationsOf(operationalLimitsInBounds, getHappyPathArgs(), { limits })).to.deep.equal(["connections.max = 150 is above the maximum 100."]);
    });
  });

  describe("component-config-matches-schema", () => {
    const schemas = { checkout: schema, payments: schema };

    it("passes config that validates against its component's schema", async () => {
      expect(await violationsOf(componentConfigMatchesSchema, getHappyPathArgs(), { schemas })).to.deep.equal([]);
    });

    it("rejects a value outside the schema's enum", async () => {
      const messages = await violationsOf(componentConfigMatchesSchema, getHappyPathArgs(config({ logLevel: "VERBOSE" })), { schemas });
      expect(messages).to.deep.equal(["checkout config logLevel must be equal to one of the allowed values."]);
    });

    it("rejects a key the schema does not allow", async () => {
      const messages = await violationsOf(componentConfigMatchesSchema, getHappyPathArgs(config({ colour: "blue" })), { schemas });
      expect(messages).to.deep.equal(["checkout config (top level) must NOT have additional properties."]);
    });

    it("rejects content that is not JSON", async () => {
      const args = getHappyPathArgs();
      args.props.content = "logLevel: ERROR";
      const messages = await violationsOf(componentConfigMatchesSchema, args, { schemas });
      expect(messages[0]).to.match(/^content is declared as application\/json but is not valid JSON/);
    });

    it("rejects config whose version is named after no known component", async () => {
      const args = { ...getHappyPathArgs(), name: "mystery" };
      const messages = await violationsOf(componentConfigMatchesSchema, args, { schemas });
      expect(messages[0]).to.match(/^content belongs to no known component \(checkout, payments\)/);
    });

    it("does not apply to the feature-flag document", async () => {
      const args = { ...getHappyPathArgs({ version: "1", flags: {}, values: {} }), name: "feature-flags" };
      expect(await violationsOf(componentConfigMatchesSchema, args, { schemas })).to.deep.equal([]);
    });
  });

  describe("component-profile-has-schema-validator", () => {
    const PROFILE = "aws:appconfig/configurationProfile:ConfigurationProfile";
    const schemas = { checkout: schema };
    const happyProfile = (): ResourceUnderTest => ({
      type: PROFILE,
      name: "checkout",
      props: { applicationId: "app", locationUri: "hosted", type: "AWS.Freeform", validators: [{ type: "JSON_SCHEMA", content: JSON.stringify(schema) }] },
    });

    it("passes a freeform profile validated by its component's schema", async () => {
      expect(await violationsOf(componentProfileHasSchemaValidator, happyProfile(), { schemas })).to.deep.equal([]);
    });

    it("rejects a freeform profile without a JSON_SCHEMA validator", async () => {
      const profile = happyProfile();
      profile.props.validators = [];
      const messages = await violationsOf(componentProfileHasSchemaValidator, profile, { schemas });
      expect(messages[0]).to.match(/^freeform profile has no JSON_SCHEMA validator/);
    });

    it("rejects a validator holding another schema", async () => {
      const profile = happyProfile();
      profile.props.validators = [{ type: "JSON_SCHEMA", content: JSON.stringify({ type: "object" }) }];
      const messages = await violationsOf(componentProfileHasSchemaValidator, profile, { schemas });
      expect(messages[0]).to.match(/^the JSON_SCHEMA validator is not the checkout schema/);
    });

    it("does not require a validator on the feature-flags profile", async () => {
      const profile = { ...happyProfile(), name: "feature-flags", props: { applicationId: "app", locationUri: "hosted", type: "AWS.AppConfig.FeatureFlags" } };
      expect(await violationsOf(componentProfileHasSchemaValidator, profile, { schemas })).to.deep.equal([]);
    });
  });
});
