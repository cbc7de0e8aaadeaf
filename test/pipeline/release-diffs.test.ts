import { expect } from "chai";
import type { Envs } from "../../cli/config/model";
import type { StageValueDiff } from "../../cli/pipeline/deployed-diff";
import { release } from "../../cli/pipeline/release";
import { approverShowingDiff, reportStageDiffs } from "../../cli/pipeline/release-diffs";
import type { Approver } from "../../cli/pipeline/ports";
import { releaseOptions, sampleEnvs, World } from "./fakes/world";

describe("the value diffs a preview, a dry run and an approval show", () => {
  let envs: Envs;
  let world: World;

  before(async () => {
    envs = await sampleEnvs();
  });

  beforeEach(() => {
    world = new World(envs);
  });

  const diffsReported = () => world.reporter.events.flatMap((e) => (e.type === "values-diff" ? [e.diff] : []));

  it("reports each stage the run walks, in order, against what its stacks run", async () => {
    world.seedPreviousRelease("gamma");
    await reportStageDiffs(envs, { to: "gamma" }, world.ports());
    const [beta, gamma] = diffsReported();
    expect(beta).to.deep.include({ stage: "beta", neverReleased: ["us-west-2"], changes: [] });
    expect(gamma?.changes).to.deep.equal([{ path: "flags.apple-pay.enabled", from: false, to: true, regions: ["us-east-1", "eu-west-1"] }]);
  });

  it("reports only the stage and region asked for", async () => {
    await reportStageDiffs(envs, { to: "prod", stage: "prod", region: "eu-west-1" }, world.ports());
    expect(diffsReported()).to.deep.equal([{ stage: "prod", changes: [], neverReleased: ["eu-west-1"], unchanged: [] }]);
  });

  it("reports nothing for options the run refuses, leaving the refusal to the run", async () => {
    await reportStageDiffs(envs, { to: "staging" }, world.ports());
    expect(world.reporter.events).to.deep.equal([]);
  });

  it("leaves a ledger it cannot read to the run, which reads it next and reports how it ended", async () => {
    world.engine.history = async () => {
      throw new Error("the state backend cannot be reached");
    };
    await reportStageDiffs(envs, { to: "beta" }, world.ports());
    expect(world.reporter.events).to.deep.equal([]);
  });

  it("shows the person approving prod what prod's values change, read when prod's turn comes", async () => {
    world.seedPreviousRelease("prod");
    const asked: string[] = [];
    const person: Approver = {
      approve: async (_stage, summary) => {
        asked.push(summary);
        return true;
      },
    };
    const render = (diff: StageValueDiff) => diff.changes.map((c) => `${c.path} ${String(c.from)} → ${String(c.to)} in ${c.regions.length} regions`).join("\n");
    const ports = { ...world.ports(), approver: approverShowingDiff(person, envs, undefined, world.ports(), render) };
    await release(envs, releaseOptions({ to: "prod", approve: false }), ports);
    expect(asked).to.have.length(1);
    expect(asked[0]).to.match(/^prod: 6 stack\(s\) change/);
    expect(asked[0]).to.include("flags.apple-pay.enabled false → true in 6 regions");
  });
});
