import { expect } from "chai";
import { runDcp } from "../support/run-dcp";
import { EnvsCopy, withFractionalBound } from "../support/sample-envs";

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

  describe("with a flag catalogue AppConfig would refuse", () => {
    let envs: EnvsCopy;
    beforeEach(() => (envs = new EnvsCopy()));
    afterEach(() => envs.remove());

    it("exits 1 at pipeline.yaml's line of a fractional bound, saying AppConfig bounds number attributes by integers only", () => {
      withFractionalBound(envs);
      const run = runDcp(["plan", "--to", "prod", "--envs", envs.dir]);
      expect(run.status).to.equal(1);
      expect(run.stdout).to.equal("");
      const line = envs.lineOf("pipeline.yaml", "maximum: 0.5");
      expect(run.stderr).to.match(new RegExp(`pipeline\\.yaml:${line}:18: error: flag "fraud-score-shadow" attribute "sampleRate": maximum 0\\.5 is not a whole number; AppConfig bounds number attributes by integers only`));
      expect(run.stderr).to.include("has a configuration error; fix it").and.not.include("unexpected error");
    });

    it("gives a string attribute with both a pattern and an enum as one JSON document with --json", () => {
      envs.replace("pipeline.yaml", '        pattern: "^rank-[a-z0-9-]+$"\n', '        pattern: "^rank-[a-z0-9-]+$"\n        enum: [rank-bm25-v2, rank-bm25-v3]\n');
      const run = runDcp(["plan", "--to", "prod", "--envs", envs.dir, "--json"]);
      expect(run.status).to.equal(1);
      const report = JSON.parse(run.stdout) as { ok: boolean; exitCode: number; diagnostics: Array<{ file: string; line: number; col: number; message: string }> };
      expect(report).to.include({ ok: false, exitCode: 1 });
      expect(report.diagnostics).to.have.length(1);
      expect(report.diagnostics[0]).to.include({ line: envs.lineOf("pipeline.yaml", "enum: [rank-bm25-v2"), col: 9 });
      expect(report.diagnostics[0]?.file).to.match(/pipeline\.yaml$/);
      expect(report.diagnostics[0]?.message).to.include('flag "search-v2" attribute "rankingModel": has both a pattern and an enum');
    });
  });

  it("exits 1 on an unknown stage", () => {
    const run = runDcp(["plan", "--to", "staging"]);
    expect(run.status).to.equal(1);
    expect(run.stderr).to.include('unknown stage "staging"');
  });
});
