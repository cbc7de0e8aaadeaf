import { expect } from "chai";
import type { Envs } from "../../cli/config/model";
import { isStrictStage, limitsFromSchema, policyConfigFor } from "../../cli/config/policy-config";
import { DEFAULT_LIMITS } from "../../policies/operational-config";
import { POLICIES } from "../../policies/pack";
import { sampleEnvsOf } from "../support/sample-envs";

const loadSample = () => sampleEnvsOf();

function withStages(envs: Envs, stages: string[], production: string[]): Envs {
  return { ...envs, pipeline: { ...envs.pipeline, stages, production } };
}

/** The sample with `stage`'s waves baking these minutes, one region each. */
function withBakes(envs: Envs, stage: string, bakes: number[]): Envs {
  const regions = ["us-east-1", "us-west-2", "eu-west-1"];
  const waves = bakes.map((bakeMinutes, i) => ({ name: `wave-${i}`, regions: [regions[i]!], bakeMinutes }));
  return { ...envs, stages: envs.stages.map((s) => (s.name === stage ? { ...s, definition: { ...s.definition, waves } } : s)) };
}

const levelOf = (config: Record<string, unknown>, policy: string) => (config[policy] as { enforcementLevel: string }).enforcementLevel;

describe("policy pack config per stage", () => {
  it("configures every policy of the pack, and nothing else", async () => {
    const config = policyConfigFor(await loadSample(), "gamma");
    expect(Object.keys(config).sort()).to.deep.equal(POLICIES.map((policy) => policy.name).sort());
  });

  it("sets only properties each policy's config schema declares, as the Pulumi CLI requires", async () => {
    const envs = await loadSample();
    for (const stage of ["beta", "gamma", "prod"]) {
      const config = policyConfigFor(envs, stage, { today: "2026-11-24" });
      for (const policy of POLICIES) {
        const declared = ["enforcementLevel", ...Object.keys(policy.configSchema?.properties ?? {})];
        expect(Object.keys(config[policy.name] as object), `${stage} ${policy.name}`).to.satisfy((keys: string[]) => keys.every((key) => declared.includes(key)));
      }
    }
  });

  it("only warns in beta about how a stage is run, but still blocks what would leak, over-grant or fail at AppConfig", async () => {
    const config = policyConfigFor(await loadSample(), "beta");
    const levels = Object.fromEntries(POLICIES.map((policy) => [policy.name, levelOf(config, policy.name)]));
    const blocking = [
      "component-config-matches-schema",
      "component-profile-has-schema-validator",
      "feature-flags-valid-format",
      "iam-no-wildcards",
      "iam-role-trusts-only-services",
      "no-secrets-in-configuration",
    ];
    const expected = Object.fromEntries(POLICIES.map((policy) => [policy.name, blocking.includes(policy.name) ? "mandatory" : "advisory"]));
    expect(levels).to.deep.equal(expected);
  });

  it("blocks in gamma and prod", async () => {
    const envs = await loadSample();
    for (const stage of ["gamma", "prod"]) {
      const config = policyConfigFor(envs, stage);
      for (const policy of POLICIES) expect(levelOf(config, policy.name), `${stage} ${policy.name}`).to.equal("mandatory");
    }
  });

  it("marks the stages pipeline.yaml names as production, and only those", async () => {
    const envs = await loadSample();
    const production = (stage: string) => (policyConfigFor(envs, stage)["no-debug-logging-in-production"] as { production: boolean }).production;
    expect([production("beta"), production("gamma"), production("prod")]).to.deep.equal([false, false, true]);
  });

  it("asks production stages for a final bake of at least 30 minutes", async () => {
    const config = policyConfigFor(await loadSample(), "prod")["production-rollout-bakes"];
    expect(config).to.include({ production: true, minFinalBakeMinutes: 30 });
  });

  it("takes limit bounds from each component's schema", async () => {
    const limits = (policyConfigFor(await loadSample(), "prod")["operational-limits-in-bounds"] as { limits: Record<string, Record<string, unknown>> }).limits;
    expect(limits.payments!["throttling.requestsPerSecond"]).to.deep.equal({ minimum: 1, maximum: 20000 });
    expect(limits.payments!["connections.max"]).to.deep.equal({ minimum: 1, maximum: 2000 });
  });

  it("falls back to dcp's bounds where a schema sets none", () => {
    expect(limitsFromSchema(undefined)["connections.max"]).to.deep.equal({ minimum: 1, maximum: 10000 });
  });

  it("takes every bound a schema sets under its limit sections, at any depth, and only there", () => {
    const schema = {
      properties: {
        throttling: { properties: { rate: { maximum: 50 }, floor: { minimum: 2 }, window: { type: "object", minimum: 1, maximum: 3, properties: { seconds: { maximum: 9 } } }, odd: null, open: true, label: { type: "string" } } },
        connections: { minimum: 0 },
        retries: { properties: { maxAttempts: { minimum: 1, maximum: 5 } } },
      },
    };
    expect(limitsFromSchema(schema)).to.deep.equal({
      ...DEFAULT_LIMITS,
      "throttling.rate": { maximum: 50 },
      "throttling.floor": { minimum: 2 },
      "throttling.window": { minimum: 1, maximum: 3 },
      "throttling.window.seconds": { maximum: 9 },
      connections: { minimum: 0 },
    });
  });

  it("gives the pack dcp's default bounds for any component, and each declared component its own", async () => {
    const limits = (policyConfigFor(await loadSample(), "prod")["operational-limits-in-bounds"] as { limits: Record<string, unknown> }).limits;
    expect(Object.keys(limits)).to.have.members(["*", "checkout", "payments", "catalog"]);
    expect(limits["*"]).to.deep.equal(DEFAULT_LIMITS);
  });

  it("passes the flag catalogue's expiry dates and the date to judge them on", async () => {
    const config = policyConfigFor(await loadSample(), "prod", { today: "2027-02-01" })["no-expired-flags-in-production"];
    expect(config).to.deep.include({ expiries: { "holiday-banner-2026": "2027-01-15" }, today: "2027-02-01" });
  });

  it("judges flag expiry on the day of evaluation when given no date", async () => {
    const config = policyConfigFor(await loadSample(), "prod")["no-expired-flags-in-production"];
    expect(config).to.not.have.property("today");
  });

  it("lets alarms take no longer to fire than the stage's shortest bake", async () => {
    const config = policyConfigFor(await loadSample(), "beta")["alarm-evaluation-sane"];
    expect(config).to.include({ maxEvaluationMinutes: 5 });
  });

  it("counts only the waves that bake when bounding alarm evaluation, and sets no bound when none bakes", async () => {
    const sample = await loadSample();
    expect(policyConfigFor(withBakes(sample, "gamma", [0, 20, 10]), "gamma")["alarm-evaluation-sane"]).to.deep.equal({ enforcementLevel: "mandatory", maxEvaluationMinutes: 10 });
    expect(policyConfigFor(withBakes(sample, "gamma", [0, 0]), "gamma")["alarm-evaluation-sane"]).to.deep.equal({ enforcementLevel: "mandatory" });
  });

  it("expects each stage's own tag values", async () => {
    const config = policyConfigFor(await loadSample(), "gamma")["required-tags"];
    expect(config).to.deep.include({ expectedValues: { workload: "storefront", stage: "gamma", "managed-by": "dcp" } });
  });

  it("treats the stage just before production as strict, and earlier ones as not", async () => {
    const envs = withStages(await loadSample(), ["dev", "beta", "gamma", "prod"], ["prod"]);
    expect(["dev", "beta", "gamma", "prod"].map((stage) => isStrictStage(envs, stage))).to.deep.equal([false, false, true, true]);
  });

  it("treats no earlier stage as strict when the first stage is production", async () => {
    const envs = withStages(await loadSample(), ["beta", "gamma", "prod"], ["beta"]);
    expect(["beta", "gamma", "prod"].map((stage) => isStrictStage(envs, stage))).to.deep.equal([true, false, false]);
  });

  it("treats the last stage as strict when no stage is marked production", async () => {
    const envs = withStages(await loadSample(), ["beta", "gamma", "prod"], []);
    expect(["beta", "gamma", "prod"].map((stage) => isStrictStage(envs, stage))).to.deep.equal([false, false, true]);
  });

  it("refuses a stage envs/ does not have", async () => {
    const envs = await loadSample();
    expect(() => policyConfigFor(envs, "qa")).to.throw('unknown stage "qa"');
  });
});
