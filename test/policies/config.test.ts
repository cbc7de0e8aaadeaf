import { expect } from "chai";
import { environmentHasAlarmMonitors } from "../../policies/cloudwatch";
import { noDebugLoggingInProduction } from "../../policies/operational-config";
import { requiredTags } from "../../policies/tagging";
import { configOf } from "../../policies/config";
import { violationsOf, type ResourceUnderTest } from "./harness";

/**
 * policies/config.ts through the policies that read config with it: `violationsOf` hands a
 * policy exactly the config given, as a caller that fills no defaults would.
 */
describe("policy config", () => {
  const environment: ResourceUnderTest = { type: "aws:appconfig/environment:Environment", name: "prod", props: { applicationId: "app", name: "prod" } };

  it("fills in a default the policy's schema declares when config does not give the setting", async () => {
    expect(await violationsOf(environmentHasAlarmMonitors, environment)).to.have.length(1);
  });

  it("keeps the value config gives, a zero or an empty list too", async () => {
    expect(await violationsOf(environmentHasAlarmMonitors, environment, { minMonitors: 0 })).to.deep.equal([]);
    const application: ResourceUnderTest = { type: "aws:appconfig/application:Application", name: "storefront", props: { name: "storefront" } };
    expect(await violationsOf(requiredTags, application, { requiredTags: [] })).to.deep.equal([]);
  });

  it("keeps settings config gives that the schema does not declare, beside the defaults", async () => {
    const version: ResourceUnderTest = {
      type: "aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion",
      name: "checkout",
      props: { contentType: "application/json", content: JSON.stringify({ logLevel: "DEBUG" }) },
    };
    expect(await violationsOf(noDebugLoggingInProduction, version, { production: true, note: "generated from envs/" })).to.have.length(1);
  });
});

describe("configOf", () => {
  const schema = {
    properties: {
      production: { type: "boolean" as const, default: false },
      forbiddenLogLevels: { type: "array" as const, items: { type: "string" as const }, default: ["DEBUG", "TRACE"] },
      today: { type: "string" as const },
    },
  };
  const given = (config: Record<string, unknown>) => ({ getConfig: <T extends object>() => structuredClone(config) as T });

  it("is exactly the settings given plus the defaults of those missing: a setting without a default stays absent", () => {
    expect(configOf(schema, given({ production: true }))).to.deep.equal({ production: true, forbiddenLogLevels: ["DEBUG", "TRACE"] });
  });

  it("hands each policy its own copy of a default, so one that changes its config cannot change the next resource's", () => {
    const first = configOf<{ forbiddenLogLevels: string[] }>(schema, given({}));
    first.forbiddenLogLevels.push("INFO");
    expect(configOf(schema, given({}))).to.deep.equal({ production: false, forbiddenLogLevels: ["DEBUG", "TRACE"] });
  });
});
