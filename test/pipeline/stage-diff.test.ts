import { expect } from "chai";
import type { Envs } from "../../cli/config/model";
import { resolveStacks } from "../../cli/config/resolve";
import { UsageError } from "../../cli/errors";
import { diffStacks, stageDiff } from "../../cli/pipeline/stage-diff";
import { sampleEnvsOf } from "../support/sample-envs";

describe("the diff between two stages", () => {
  let envs: Envs;

  before(async () => {
    envs = await sampleEnvsOf();
  });

  it("lists each value gamma would change on the way to prod, from gamma's value to prod's", () => {
    const changes = stageDiff(envs, "gamma", "prod");
    expect(changes).to.deep.include({ path: "flags.one-page-checkout.rolloutPercent", from: 50, to: 10 });
    expect(changes).to.deep.include({ path: "config.checkout.logLevel", from: "INFO", to: "ERROR" });
    expect(changes).to.deep.include({ path: "flags.saved-cards.enabled", from: true, to: false });
  });

  it("lists no value the two stages share", () => {
    const changes = stageDiff(envs, "gamma", "prod");
    expect(changes.map((c) => c.path)).not.to.include("flags.apple-pay.enabled");
    expect(changes.map((c) => c.path)).not.to.include("flags.one-page-checkout.layout");
  });

  it("is empty from a stage to itself", () => {
    expect(stageDiff(envs, "prod", "prod")).to.deep.equal([]);
  });

  it("names no regions when every region of the target stage changes the same way", () => {
    expect(stageDiff(envs, "beta", "prod").filter((c) => c.regions !== undefined)).to.deep.equal([]);
  });

  it("names the regions of a change made in only some of the target stage's regions", () => {
    const [beta] = resolveStacks(envs, { stage: "beta" });
    const prod = resolveStacks(envs, { stage: "prod" });
    const [first, ...rest] = prod;
    const quieter = structuredClone(first!);
    quieter.config.components["checkout"]!.config["logLevel"] = "WARN";
    const changes = diffStacks([beta!], [quieter, ...rest]);
    expect(changes).to.deep.include({ path: "config.checkout.logLevel", from: "DEBUG", to: "WARN", regions: [first!.region] });
    expect(changes).to.deep.include({ path: "config.checkout.logLevel", from: "DEBUG", to: "ERROR", regions: rest.map((s) => s.region) });
    expect(changes.filter((c) => c.regions !== undefined).map((c) => c.path)).to.deep.equal(["config.checkout.logLevel", "config.checkout.logLevel"]);
    expect(changes.length).to.equal(stageDiff(envs, "beta", "prod").length + 1);
  });

  it("compares each target region with the same region of the source stage", () => {
    const [east, west] = resolveStacks(envs, { stage: "gamma" }).map((s) => structuredClone(s));
    const ttl = (stack: typeof east, minutes: number) => {
      stack!.config.components["checkout"]!.config["cartTtlMinutes"] = minutes;
      return stack!;
    };
    const changes = diffStacks([ttl(structuredClone(east), 30), ttl(structuredClone(west), 60)], [ttl(east, 90), ttl(west, 90)]);
    expect(changes).to.deep.equal([
      { path: "config.checkout.cartTtlMinutes", from: 30, to: 90, regions: [east!.region] },
      { path: "config.checkout.cartTtlMinutes", from: 60, to: 90, regions: [west!.region] },
    ]);
  });

  it("has nothing to compare from a source with no stacks", () => {
    expect(diffStacks([], resolveStacks(envs, { stage: "prod" }))).to.deep.equal([]);
  });

  it("refuses an unknown stage, naming the stages there are", () => {
    expect(() => stageDiff(envs, "gama", "prod")).to.throw(UsageError, 'unknown stage "gama"; the stages are beta, gamma, prod');
    expect(() => stageDiff(envs, "gamma", "staging")).to.throw(UsageError, 'unknown stage "staging"; the stages are beta, gamma, prod');
  });
});
