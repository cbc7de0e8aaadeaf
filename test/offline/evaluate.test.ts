import { expect } from "chai";
import type { StackValidationPolicy } from "@pulumi/policy";
import type { Envs, ResolvedStack } from "../../cli/config/model";
import { policyConfigFor } from "../../cli/config/policy-config";
import { resolveStacks } from "../../cli/config/resolve";
import { evaluatePolicies } from "../../cli/offline/evaluate";
import { recordStack } from "../../cli/offline/record-stack";
import type { RecordedStack } from "../../cli/offline/recorded-resource";
import type { PolicyViolation } from "../../cli/pipeline/ports";
import type { StackConfig } from "../../infra/stack-config";
import { noDebugLoggingInProduction } from "../../policies/operational-config";
import { SAMPLE_TODAY, sampleEnvsOf } from "../support/sample-envs";


let sample: Promise<{ envs: Envs; stacks: ResolvedStack[] }> | undefined;

function loadSample(): Promise<{ envs: Envs; stacks: ResolvedStack[] }> {
  sample ??= sampleEnvsOf(SAMPLE_TODAY).then((envs) => ({ envs, stacks: resolveStacks(envs) }));
  return sample;
}

/** The sample stack, with `change` applied to a copy of its StackConfig, run under mocks and evaluated. */
async function evaluateSample(name: string, change: (config: StackConfig) => void = () => {}): Promise<PolicyViolation[]> {
  const { envs, stacks } = await loadSample();
  const stack = stacks.find((candidate) => candidate.name === name);
  if (stack === undefined) throw new Error(`no stack ${name}`);
  const config = structuredClone(stack.config);
  change(config);
  return evaluatePolicies(await recordStack(config, name), policyConfigFor(envs, stack.stage, { today: SAMPLE_TODAY }));
}

const brief = (violations: PolicyViolation[]) => violations.map((v) => `${v.stack}: ${v.policy} (${v.level})`);

describe("offline policy evaluation", () => {
  describe("on the sample envs/", () => {
    it("finds nothing wrong with any stack of the untouched sample", async () => {
      const { stacks } = await loadSample();
      for (const stack of stacks) expect(await evaluateSample(stack.name), stack.name).to.deep.equal([]);
    });

    it("fails prod on DEBUG logging, naming the policy, the stack and the component's configuration", async () => {
      const violations = await evaluateSample("prod-us-east-1", (config) => {
        config.components.checkout!.config.logLevel = "DEBUG";
      });
      expect(violations).to.have.length(1);
      expect(violations[0]).to.deep.include({
        stack: "prod-us-east-1",
        policy: "no-debug-logging-in-production",
        level: "mandatory",
        message: "logLevel is DEBUG in a production stage; use INFO or higher (allowed here: not DEBUG, TRACE).",
      });
      // The hosted version of checkout's content: named `checkout-<content hash>`.
      expect(violations[0]!.resource).to.match(/^aws:appconfig\/hostedConfigurationVersion:HostedConfigurationVersion::checkout-[0-9a-f]{12}$/);
    });

    it("fails gamma when its alarms are removed: its environment has no monitors", async () => {
      const violations = await evaluateSample("gamma-us-east-1", (config) => (config.alarms = []));
      expect(brief(violations)).to.include("gamma-us-east-1: environment-has-alarm-monitors (mandatory)");
    });

    it("only warns about beta without alarms", async () => {
      const violations = await evaluateSample("beta-us-west-2", (config) => (config.alarms = []));
      expect(violations).to.not.be.empty;
      expect(violations.every((violation) => violation.level === "advisory")).to.equal(true);
    });

    it("fails prod on a final bake shorter than 30 minutes", async () => {
      const violations = await evaluateSample("prod-us-east-1", (config) => (config.rollout.finalBakeMinutes = 10));
      expect(brief(violations)).to.deep.equal(["prod-us-east-1: production-rollout-bakes (mandatory)"]);
    });

    it("fails any stage on a secret in configuration", async () => {
      const violations = await evaluateSample("beta-us-west-2", (config) => {
        config.components.payments!.config.providerApiKey = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
      });
      expect(brief(violations)).to.include("beta-us-west-2: no-secrets-in-configuration (mandatory)");
    });

    it("sees the tags every resource inherits from the provider's default tags", async () => {
      const { stacks } = await loadSample();
      const stack = stacks.find((candidate) => candidate.name === "gamma-eu-west-1")!;
      const recorded = await recordStack(stack.config, stack.name);
      const withoutDefaults: RecordedStack = {
        ...recorded,
        resources: recorded.resources.map((r) => (r.type === "pulumi:providers:aws" ? { ...r, inputs: { ...r.inputs, defaultTags: undefined } } : r)),
      };
      const { envs } = await loadSample();
      const violations = await evaluatePolicies(withoutDefaults, policyConfigFor(envs, "gamma"));
      expect(violations.length).to.be.greaterThan(0);
      expect(violations.every((v) => v.policy === "required-tags" && v.level === "mandatory")).to.equal(true);
    });
  });

  describe("like the engine", () => {
    const stack: RecordedStack = {
      stack: "prod-eu-west-1",
      outputs: {},
      resources: [
        {
          type: "aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion",
          name: "checkout",
          urn: "urn:pulumi:prod-eu-west-1::storefront::aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion::checkout",
          inputs: { contentType: "application/json", content: JSON.stringify({ logLevel: "DEBUG" }) },
          dependsOn: [],
        },
      ],
    };
    const policies = [noDebugLoggingInProduction];

    it("takes the enforcement level from the pack config", async () => {
      const long = await evaluatePolicies(stack, { "no-debug-logging-in-production": { enforcementLevel: "advisory", production: true } }, { policies });
      expect(long.map((v) => v.level)).to.deep.equal(["advisory"]);
    });

    it("does not run a policy disabled in the pack config's short form", async () => {
      expect(await evaluatePolicies(stack, { "no-debug-logging-in-production": "disabled" }, { policies })).to.deep.equal([]);
    });

    it("reports a remediate-level policy as mandatory, since nothing is remediated offline", async () => {
      const violations = await evaluatePolicies(stack, { "no-debug-logging-in-production": { enforcementLevel: "remediate", production: true } }, { policies });
      expect(violations.map((v) => v.level)).to.deep.equal(["mandatory"]);
    });

    it("falls back to the policy's own enforcement and its config schema's defaults", async () => {
      // production defaults to false: without config, DEBUG is allowed.
      expect(await evaluatePolicies(stack, {}, { policies })).to.deep.equal([]);
    });

    it("runs stack policies over every resource and names the one a violation points at", async () => {
      const everyVersion: StackValidationPolicy = {
        name: "count-versions",
        description: "test",
        enforcementLevel: "advisory",
        validateStack: (args, report) => {
          for (const resource of args.resources) report(`saw ${resource.name}`, resource.urn);
        },
      };
      const violations = await evaluatePolicies(stack, {}, { policies: [everyVersion] });
      expect(violations).to.deep.equal([
        {
          stack: "prod-eu-west-1",
          policy: "count-versions",
          level: "advisory",
          resource: "aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion::checkout",
          message: "saw checkout",
        },
      ]);
    });
  });
});
