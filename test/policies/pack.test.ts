import { expect } from "chai";
import Ajv from "ajv";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { policyConfigFor } from "../../cli/config/policy-config";
import { PACK_ENFORCEMENT, PACK_NAME, POLICIES } from "../../policies/pack";
import { sampleEnvsOf } from "../support/sample-envs";

describe("the policy pack", () => {
  it("has a name the analyzer accepts: letters, digits, hyphens, underscores and periods", () => {
    expect(PACK_NAME).to.match(/^[a-zA-Z0-9._-]+$/);
  });

  it("blocks on violations when no config says otherwise", () => {
    expect(PACK_ENFORCEMENT).to.equal("mandatory");
  });

  it("registers every rule of safe configuration once", () => {
    expect(POLICIES.map((policy) => policy.name)).to.deep.equal([
      "no-debug-logging-in-production",
      "operational-limits-in-bounds",
      "component-config-matches-schema",
      "component-profile-has-schema-validator",
      "feature-flags-valid-format",
      "no-expired-flags-in-production",
      "environment-has-alarm-monitors",
      "alarm-has-actions",
      "alarm-evaluation-sane",
      "production-rollout-bakes",
      "no-all-at-once-rollout-in-production",
      "required-tags",
      "iam-no-wildcards",
      "iam-role-trusts-only-services",
      "no-secrets-in-configuration",
    ]);
  });

  it("holds policies the analyzer can serve: kebab-case names, a description, no enforcementLevel among config properties", () => {
    for (const policy of POLICIES) {
      expect(policy.name, policy.name).to.match(/^[a-z]+(-[a-z]+)*$/);
      expect(policy.description, policy.name).to.be.a("string").and.not.equal("");
      expect((policy as ResourceValidationPolicy).validateResource, policy.name).to.not.equal(undefined);
      expect(Object.keys(policy.configSchema?.properties ?? {}), policy.name).to.not.include("enforcementLevel");
    }
  });

  it("gives every config setting a type, lists of names included, so the Pulumi CLI refuses a mistyped value before any preview", () => {
    // Without a type, `production: "false"` would pass and be read as true.
    const ajv = new Ajv({ strict: true });
    const wrongValue: Record<string, unknown> = { boolean: "false", integer: 1.5, number: "60", string: 20261124, array: "DEBUG", object: ["*"] };
    for (const policy of POLICIES) {
      for (const [key, property] of Object.entries(policy.configSchema?.properties ?? {})) {
        const type = typeof property === "object" ? String(property.type) : "";
        expect(Object.keys(wrongValue), `${policy.name} ${key}`).to.include(type);
        expect(ajv.validate({ type: "object", properties: { [key]: property } }, { [key]: wrongValue[type] }), `${policy.name} ${key}`).to.equal(false);
        if (type === "array") expect(ajv.validate({ type: "object", properties: { [key]: property } }, { [key]: [42] }), `${policy.name} ${key}`).to.equal(false);
      }
    }
  });

  it("describes each policy's config with a JSON Schema that the config generated for every stage passes, as the Pulumi CLI checks", async () => {
    const envs = await sampleEnvsOf();
    const ajv = new Ajv({ strict: true, allErrors: true });
    for (const policy of POLICIES) {
      const schema = policy.configSchema ?? { properties: {} };
      for (const [key, property] of Object.entries(schema.properties)) {
        if ("description" in property) expect(property.description, `${policy.name} ${key}`).to.be.a("string").and.not.equal("");
      }
      const validate = ajv.compile({ type: "object", properties: { ...schema.properties, enforcementLevel: { type: "string" } }, required: schema.required ?? [] });
      for (const stage of envs.pipeline.stages) {
        const config = policyConfigFor(envs, stage, { today: "2026-11-24" })[policy.name];
        expect(validate(config), `${stage} ${policy.name}: ${JSON.stringify(validate.errors)}`).to.equal(true);
      }
      // A number among names (a mistyped list in envs/) is refused before any preview.
      for (const [key, property] of Object.entries(schema.properties)) {
        if (typeof property === "object" && property.type === "array") expect(validate({ [key]: [42] }), `${policy.name} ${key}`).to.equal(false);
      }
    }
  });
});
