import { expect } from "chai";
import { runDcp } from "../support/run-dcp";
import { EnvsCopy } from "../support/sample-envs";

describe("dcp plan", () => {
  it("shows the three stages and prod's waves in order, with the approval gate", () => {
    const run = runDcp(["plan", "--to", "prod"]);
    expect(run.status, run.stderr).to.equal(0);
    const out = run.stdout;
    const order = ["1. beta", "2. gamma", "3. prod", "manual approval", "wave 1/3 canary", "prod-us-east-1", "wave 2/3 americas-europe", "wave 3/3 rest-of-world", "prod-ap-northeast-1"];
    const positions = order.map((text) => out.indexOf(text));
    expect(positions.every((p) => p >= 0), out).to.equal(true);
    expect([...positions].sort((a, b) => a - b)).to.deep.equal(positions);
  });

  it("gives stages, waves, stacks and release ids as JSON", () => {
    const run = runDcp(["plan", "--to", "gamma", "--json"]);
    const plan = JSON.parse(run.stdout) as { stages: Array<{ name: string; waves: Array<{ stacks: Array<{ name: string; releaseId: string }> }> }> };
    expect(plan.stages.map((s) => s.name)).to.deep.equal(["beta", "gamma"]);
    expect(plan.stages[1]?.waves[0]?.stacks.map((s) => s.name)).to.deep.equal(["gamma-us-east-1", "gamma-eu-west-1"]);
    expect(plan.stages[1]?.waves[0]?.stacks[0]?.releaseId).to.match(/^[0-9a-f]{12}$/);
  });

  it("exits 1 with every configuration error when envs/ is invalid", () => {
    const envs = new EnvsCopy().replace("prod.yaml", "growthType: EXPONENTIAL", "growthType: STEP");
    try {
      const run = runDcp(["plan", "--to", "prod", "--envs", envs.dir]);
      expect(run.status).to.equal(1);
      expect(run.stderr).to.match(/prod\.yaml:\d+:\d+: error: .*growthType/);
      expect(run.stderr).to.include("has a configuration error; fix it");
    } finally {
      envs.remove();
    }
  });

  it("exits 1 on an unknown stage", () => {
    const run = runDcp(["plan", "--to", "staging"]);
    expect(run.status).to.equal(1);
    expect(run.stderr).to.include('unknown stage "staging"');
  });
});
