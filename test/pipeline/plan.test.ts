import { expect } from "chai";
import type { Envs } from "../../cli/config/model";
import { UsageError } from "../../cli/errors";
import { planRelease } from "../../cli/pipeline/plan";
import { SAMPLE_TODAY, sampleEnvsOf } from "../support/sample-envs";

describe("planning a release", () => {
  let envs: Envs;
  before(async () => {
    envs = await sampleEnvsOf(SAMPLE_TODAY);
  });

  it("walks every stage up to --to in pipeline order", () => {
    expect(planRelease(envs, { to: "gamma" }).stages.map((s) => s.name)).to.deep.equal(["beta", "gamma"]);
  });

  it("keeps prod's waves in order, canary first, and marks its approval gate", () => {
    const prod = planRelease(envs, { to: "prod" }).stages[2]!;
    expect(prod.approval).to.equal("manual");
    expect(prod.waves.map((w) => [w.name, w.stacks.map((s) => s.region)])).to.deep.equal([
      ["canary", ["us-east-1"]],
      ["americas-europe", ["us-west-2", "eu-west-1"]],
      ["rest-of-world", ["eu-central-1", "ap-southeast-2", "ap-northeast-1"]],
    ]);
  });

  it("narrows to one stage and one region, leaving out the waves that have no stack there", () => {
    const plan = planRelease(envs, { to: "prod", stage: "prod", region: "eu-west-1" });
    expect(plan.stages.map((s) => [s.name, s.waves.map((w) => w.name)])).to.deep.equal([["prod", ["americas-europe"]]]);
    expect(plan.stages.flatMap((s) => s.waves.flatMap((w) => w.stacks.map((x) => x.name)))).to.deep.equal(["prod-eu-west-1"]);
  });

  it("narrows to one stage: the stages before it are not released", () => {
    expect(planRelease(envs, { to: "prod", stage: "gamma" }).stages.map((s) => s.name)).to.deep.equal(["gamma"]);
  });

  it("refuses a stage that comes after --to", () => {
    expect(() => planRelease(envs, { to: "gamma", stage: "prod" })).to.throw(UsageError, /^--stage prod is not one of the stages up to gamma: beta, gamma$/);
  });

  it("marks the production stages, and takes a stage without an approval setting to need none", () => {
    const plain = structuredClone(envs);
    delete plain.stages[2]!.definition.approval;
    expect(planRelease(envs, { to: "prod" }).stages.map((s) => s.production)).to.deep.equal([false, false, true]);
    expect(planRelease(plain, { to: "prod" }).stages[2]?.approval).to.equal("none");
    delete plain.pipeline.production;
    expect(planRelease(plain, { to: "prod" }).stages.map((s) => s.production)).to.deep.equal([false, false, false]);
  });

  it("keeps each stage's waves to its own stacks where two stages name a wave alike", () => {
    const alike = structuredClone(envs);
    alike.stages[1]!.definition.waves[0]!.name = "canary";
    const gamma = planRelease(alike, { to: "prod" }).stages[1]!;
    expect(gamma.waves.map((w) => w.stacks.map((s) => s.name))).to.deep.equal([["gamma-us-east-1", "gamma-eu-west-1"]]);
  });

  it("refuses an unknown stage, naming the stages there are", () => {
    expect(() => planRelease(envs, { to: "staging" })).to.throw(UsageError, "the stages are beta, gamma, prod");
  });

  it("refuses a region no stage deploys to", () => {
    expect(() => planRelease(envs, { to: "prod", region: "sa-east-1" })).to.throw(UsageError, "sa-east-1");
  });
});
