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

    it("says which levels are forbidden, in a message a person can act on", async () => {
      expect(await violationsOf(noDebugLoggingInProduction, getHappyPathArgs(config({ logLevel: "DEBUG" })), production)).to.deep.equal([
        "logLevel is DEBUG in a production stage; use INFO or higher (allowed here: not DEBUG, TRACE).",
      ]);
    });

    it("finds every log level, under any spelling of the key, in sections and lists", async () => {
      const content = config({
        LOGLEVEL: "TRACE",
        audit: { loglevel: "debug", sinks: [{ logLevel: "DEBUG" }, { logLevel: "INFO" }] },
      });
      expect((await violationsOf(noDebugLoggingInProduction, getHappyPathArgs(content), production)).map((m) => m.split(" is ")[0])).to.deep.equal([
        "LOGLEVEL",
        "audit.loglevel",
        "audit.sinks.0.logLevel",
      ]);
    });

    it("reads only keys that are a log level, holding a name", async () => {
      const content = config({ defaultLogLevel: "DEBUG", logLevelOverride: "DEBUG", verbosity: { level: "DEBUG" }, log_level_numeric: 10, log: { level: 10 } });
      expect(await violationsOf(noDebugLoggingInProduction, getHappyPathArgs(content), production)).to.deep.equal([]);
    });

    it("passes over empty (null) sections and a log level key holding a section", async () => {
      const content = config({ logLevel: { default: "DEBUG" }, audit: null, sinks: [null] });
      expect(await violationsOf(noDebugLoggingInProduction, getHappyPathArgs(content), production)).to.deep.equal([]);
    });

    it("forbids the levels config names, whatever their case", async () => {
      const messages = await violationsOf(noDebugLoggingInProduction, getHappyPathArgs(config({ logLevel: "Warn" })), { production: true, forbiddenLogLevels: ["warn", "DEBUG"] });
      expect(messages).to.deep.equal(["logLevel is Warn in a production stage; use INFO or higher (allowed here: not warn, DEBUG)."]);
    });

    it("leaves the feature-flag document, content that is not JSON and other content types to their own policies", async () => {
      const flags = { ...getHappyPathArgs({ version: "1", flags: {}, values: {}, logLevel: "DEBUG" }), name: "feature-flags" };
      const yaml = getHappyPathArgs();
      yaml.props.content = "logLevel: DEBUG";
      const text = getHappyPathArgs(config({ logLevel: "DEBUG" }));
      text.props.contentType = "text/plain";
      for (const args of [flags, yaml, text]) expect(await violationsOf(noDebugLoggingInProduction, args, production)).to.deep.equal([]);
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

    it("applies dcp's default bounds to every component when config sets none", async () => {
      const outside = config({ throttling: { requestsPerSecond: 100001, burst: 200001 }, connections: { max: 10001, idleTimeoutSeconds: 0 } });
      expect(await violationsOf(operationalLimitsInBounds, getHappyPathArgs(outside))).to.deep.equal([
        "throttling.requestsPerSecond = 100001 is above the maximum 100000.",
        "throttling.burst = 200001 is above the maximum 200000.",
        "connections.max = 10001 is above the maximum 10000.",
        "connections.idleTimeoutSeconds = 0 is below the minimum 1.",
      ]);
      const below = config({ throttling: { requestsPerSecond: 0, burst: 0 }, connections: { max: 150, idleTimeoutSeconds: 3601 } });
      expect(await violationsOf(operationalLimitsInBounds, getHappyPathArgs(below))).to.deep.equal([
        "throttling.requestsPerSecond = 0 is below the minimum 1.",
        "throttling.burst = 0 is below the minimum 1.",
        "connections.idleTimeoutSeconds = 3601 is above the maximum 3600.",
      ]);
    });

    it("accepts values on the bounds themselves, and a burst equal to the rate", async () => {
      const edges = config({ throttling: { requestsPerSecond: 100000, burst: 100000 }, connections: { max: 1, idleTimeoutSeconds: 3600 } });
      expect(await violationsOf(operationalLimitsInBounds, getHappyPathArgs(edges))).to.deep.equal([]);
    });

    it("uses a component's own bounds over the \"*\" ones, and checks only the bounds it sets", async () => {
      const limits = { "*": { "connections.max": { maximum: 100 } }, checkout: { "connections.max": { minimum: 200 } } };
      expect(await violationsOf(operationalLimitsInBounds, getHappyPathArgs(config({ connections: { max: 1000000 } })), { limits })).to.deep.equal([]);
      expect(await violationsOf(operationalLimitsInBounds, getHappyPathArgs(), { limits })).to.deep.equal(["connections.max = 150 is below the minimum 200."]);
    });

    it("checks nothing for a component without bounds when there are no \"*\" bounds", async () => {
      const limits = { payments: { "connections.max": { maximum: 1 } } };
      expect(await violationsOf(operationalLimitsInBounds, getHappyPathArgs(), { limits })).to.deep.equal([]);
    });

    it("skips limits the config does not set", async () => {
      expect(await violationsOf(operationalLimitsInBounds, getHappyPathArgs({ logLevel: "ERROR" }))).to.deep.equal([]);
    });

    it("compares burst and rate only when both are numbers", async () => {
      const limits = { "*": {} };
      expect(await violationsOf(operationalLimitsInBounds, getHappyPathArgs(config({ throttling: { requestsPerSecond: "800", burst: 100 } })), { limits })).to.deep.equal([]);
      expect(await violationsOf(operationalLimitsInBounds, getHappyPathArgs(config({ throttling: { requestsPerSecond: 800, burst: "100" } })), { limits })).to.deep.equal([]);
    });

    it("says what the burst would do", async () => {
      const messages = await violationsOf(operationalLimitsInBounds, getHappyPathArgs(config({ throttling: { requestsPerSecond: 800, burst: 100 } })));
      expect(messages).to.deep.equal(["throttling.burst = 100 is below throttling.requestsPerSecond = 800: the burst would throttle sustained traffic."]);
    });

    it("leaves the feature-flag document and content that is not JSON alone", async () => {
      const flags = { ...getHappyPathArgs({ version: "1", flags: {}, values: {}, connections: { max: 0 } }), name: "feature-flags" };
      const yaml = getHappyPathArgs();
      yaml.props.content = "connections: {max: 0}";
      for (const args of [flags, yaml]) expect(await violationsOf(operationalLimitsInBounds, args)).to.deep.equal([]);
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

    it("names where in the config each error is, every error reported", async () => {
      const content = config({ logLevel: "VERBOSE", throttling: { requestsPerSecond: 0, burst: 1 } });
      expect(await violationsOf(componentConfigMatchesSchema, getHappyPathArgs(content), { schemas })).to.deep.equal([
        "checkout config logLevel must be equal to one of the allowed values.",
        "checkout config throttling.requestsPerSecond must be >= 1.",
      ]);
    });

    it("checks config against its own component's schema", async () => {
      const payments = { type: "object", required: ["currency"] };
      const args = { ...getHappyPathArgs(), name: "storefront-payments" };
      expect(await violationsOf(componentConfigMatchesSchema, args, { schemas: { checkout: schema, payments } })).to.deep.equal([
        'payments config (top level) must have required property \'currency\'.',
      ]);
    });

    it("says what the content was declared as and why it does not parse", async () => {
      const args = getHappyPathArgs();
      args.props.content = "logLevel: ERROR";
      const messages = await violationsOf(componentConfigMatchesSchema, args, { schemas });
      expect(messages).to.have.length(1);
      expect(messages[0]).to.match(/^content is declared as application\/json but is not valid JSON: .*JSON/);
    });

    it("reports content that is not JSON even when no schema is configured", async () => {
      const args = getHappyPathArgs();
      args.props.content = "logLevel: ERROR";
      expect(await violationsOf(componentConfigMatchesSchema, args)).to.have.length(1);
    });

    it("checks nothing when no schema is configured", async () => {
      const args = { ...getHappyPathArgs(config({ colour: "blue" })), name: "mystery" };
      expect(await violationsOf(componentConfigMatchesSchema, args)).to.deep.equal([]);
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

    it("takes a profile without a type for freeform", async () => {
      const profile = happyProfile();
      delete profile.props.type;
      profile.props.validators = [];
      expect(await violationsOf(componentProfileHasSchemaValidator, profile, { schemas })).to.deep.equal([
        "freeform profile has no JSON_SCHEMA validator: AppConfig would deploy config that breaks the component's schema.",
      ]);
    });

    it("does not count a Lambda validator as the schema", async () => {
      const profile = happyProfile();
      const noSchema = "freeform profile has no JSON_SCHEMA validator: AppConfig would deploy config that breaks the component's schema.";
      profile.props.validators = [{ type: "LAMBDA", content: "arn:aws:lambda:us-east-1:333333333333:function:validate" }];
      expect(await violationsOf(componentProfileHasSchemaValidator, profile, { schemas })).to.deep.equal([noSchema]);
      delete profile.props.validators;
      expect(await violationsOf(componentProfileHasSchemaValidator, profile, { schemas })).to.deep.equal([noSchema]);
    });

    it("says which component's schema the validator should hold", async () => {
      const profile = happyProfile();
      profile.props.validators = [{ type: "JSON_SCHEMA", content: JSON.stringify({ type: "object" }) }];
      expect(await violationsOf(componentProfileHasSchemaValidator, profile, { schemas })).to.deep.equal([
        "the JSON_SCHEMA validator is not the checkout schema from envs/schemas: AppConfig would check the wrong rules.",
      ]);
    });

    it("finds the component by the profile's own name when the resource's does not say", async () => {
      const profile = { ...happyProfile(), name: "profile-1" };
      profile.props.name = "checkout";
      profile.props.validators = [{ type: "JSON_SCHEMA", content: JSON.stringify({ type: "object" }) }];
      expect(await violationsOf(componentProfileHasSchemaValidator, profile, { schemas })).to.have.length(1);
    });

    it("cannot compare the validator of a profile that names no known component", async () => {
      const profile = { ...happyProfile(), name: "mystery" };
      profile.props.validators = [{ type: "JSON_SCHEMA", content: JSON.stringify({ type: "object" }) }];
      expect(await violationsOf(componentProfileHasSchemaValidator, profile, { schemas })).to.deep.equal([]);
      expect(await violationsOf(componentProfileHasSchemaValidator, happyProfile())).to.deep.equal([]);
    });

    it("accepts the schema serialised with its keys in another order, among other validators", async () => {
      const reordered = JSON.stringify({ properties: schema.properties, required: schema.required, additionalProperties: false, type: "object", $schema: schema.$schema });
      const profile = happyProfile();
      profile.props.validators = [{ type: "JSON_SCHEMA", content: JSON.stringify({ type: "object" }) }, { type: "JSON_SCHEMA", content: reordered }];
      expect(await violationsOf(componentProfileHasSchemaValidator, profile, { schemas })).to.deep.equal([]);
    });

    it("reads key order as meaningless inside lists of schemas too", async () => {
      const withVariants = { ...schema, anyOf: [{ required: ["logLevel"], type: "object" }] };
      const profile = happyProfile();
      profile.props.validators = [{ type: "JSON_SCHEMA", content: JSON.stringify({ ...withVariants, anyOf: [{ type: "object", required: ["logLevel"] }] }) }];
      expect(await violationsOf(componentProfileHasSchemaValidator, profile, { schemas: { checkout: withVariants } })).to.deep.equal([]);
    });

    it("tells schemas apart by their values, list order and length, and nesting", async () => {
      const variants = [
        { ...schema, required: ["throttling", "logLevel"] },
        { ...schema, required: ["logLevel"] },
        { ...schema, required: "logLevel,throttling" },
        { ...schema, additionalProperties: true },
        { ...schema, additionalProperties: null },
        { ...schema, title: "checkout" },
        { ...schema, properties: { ...schema.properties, logLevel: { enum: ["DEBUG", "INFO", "WARN"] } } },
        { ...schema, properties: { ...schema.properties, logLevel: { enum: ["DEBUG", "INFO", "WARN", "FATAL"] } } },
        { ...schema, properties: { ...schema.properties, connections: { type: "object", properties: { max: { type: "integer", minimum: 1, maximum: 20000 } } } } },
        { ...schema, properties: null },
        [schema],
      ];
      for (const variant of variants) {
        const profile = happyProfile();
        profile.props.validators = [{ type: "JSON_SCHEMA", content: JSON.stringify(variant) }];
        expect(await violationsOf(componentProfileHasSchemaValidator, profile, { schemas }), JSON.stringify(variant)).to.have.length(1);
      }
    });

    it("does not take a validator without content, or content that is not JSON, for the schema", async () => {
      for (const validator of [{ type: "JSON_SCHEMA" }, { type: "JSON_SCHEMA", content: "{" }]) {
        const profile = happyProfile();
        profile.props.validators = [validator];
        expect(await violationsOf(componentProfileHasSchemaValidator, profile, { schemas }), JSON.stringify(validator)).to.have.length(1);
      }
    });

    it("does not require a validator on the feature-flags profile", async () => {
      const profile = { ...happyProfile(), name: "feature-flags", props: { applicationId: "app", locationUri: "hosted", type: "AWS.AppConfig.FeatureFlags" } };
      expect(await violationsOf(componentProfileHasSchemaValidator, profile, { schemas })).to.deep.equal([]);
    });
  });
});
