import { expect } from "chai";
import { runDcp } from "../support/run-dcp";
import { EnvsCopy, withFractionalBound } from "../support/sample-envs";

describe("dcp validate", () => {
  let envs: EnvsCopy;
  beforeEach(() => (envs = new EnvsCopy()));
  afterEach(() => envs.remove());

  it("exits 0 on the sample workload", () => {
    const run = runDcp(["validate", "--envs", envs.dir]);
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/valid, 9 stacks checked/);
  });

  it("exits 1 naming prod.yaml and the line of an unknown key appended to it", () => {
    envs.write("prod.yaml", envs.read("prod.yaml") + "owner: team-storefront\n");
    const run = runDcp(["validate", "--envs", envs.dir]);
    expect(run.status).to.equal(1);
    expect(run.stderr).to.match(new RegExp(`prod\\.yaml:${envs.lineOf("prod.yaml", "owner: team-storefront")}:1: error: unknown key "owner"`));
    expect(run.stderr).to.match(/✖ .*1 error/);
  });

  it("exits 1 with the file and line of broken YAML, and no stack trace", () => {
    envs.replace("gamma.yaml", "waves:", "waves: [");
    const run = runDcp(["validate", "--envs", envs.dir]);
    expect(run.status).to.equal(1);
    expect(run.stderr).to.match(/gamma\.yaml:\d+:\d+: error: invalid YAML/);
    expect(run.stderr).to.not.match(/\n\s+at /);
  });

  it("exits 1 with a secrets error at the line of an AWS access key", () => {
    envs.replace("prod.yaml", "providerTimeoutMs: 2000", "providerTimeoutMs: 2000\n    providerKey: AKIAIOSFODNN7EXAMPLE");
    const run = runDcp(["validate", "--envs", envs.dir]);
    expect(run.status).to.equal(1);
    expect(run.stderr).to.match(new RegExp(`prod\\.yaml:${envs.lineOf("prod.yaml", "AKIA")}:\\d+: error: possible secret`));
  });

  it("exits 0 with warnings only, printing them", () => {
    envs.replace("pipeline.yaml", "expires: 2027-01-15", "expires: 2020-01-15");
    envs.replace("prod.yaml", "holiday-banner-2026: { enabled: true }", "holiday-banner-2026: { enabled: false }");
    const run = runDcp(["validate", "--envs", envs.dir, "--stage", "beta"]);
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stderr).to.match(/pipeline\.yaml:\d+:\d+: warning: flag "holiday-banner-2026" expired/);
  });

  it("gives every problem as one JSON object with --json", () => {
    envs.replace("beta.yaml", "logLevel: DEBUG", "logLevel: NOISY");
    const run = runDcp(["validate", "--envs", envs.dir, "--json"]);
    expect(run.status).to.equal(1);
    const report = JSON.parse(run.stdout) as { ok: boolean; errors: number; diagnostics: Array<{ file: string; line: number }> };
    expect(report).to.include({ ok: false, errors: 1 });
    expect(report.diagnostics[0]?.file).to.match(/beta\.yaml$/);
  });

  describe("a flag catalogue AppConfig would refuse", () => {
    it("exits 1 at pipeline.yaml's line of a fractional bound, saying AppConfig bounds number attributes by integers only", () => {
      withFractionalBound(envs);
      const run = runDcp(["validate", "--envs", envs.dir]);
      expect(run.status).to.equal(1);
      const line = envs.lineOf("pipeline.yaml", "maximum: 0.5");
      expect(run.stderr).to.match(new RegExp(`pipeline\\.yaml:${line}:18: error: flag "fraud-score-shadow" attribute "sampleRate": maximum 0\\.5 is not a whole number; AppConfig bounds number attributes by integers only`));
      expect(run.stderr).to.include("✖").and.not.include("unexpected error").and.not.match(/must be integer|oneOf/);
    });

    it("gives a string attribute with both a pattern and an enum as a configuration error in the JSON report", () => {
      envs.replace("pipeline.yaml", '        pattern: "^rank-[a-z0-9-]+$"\n', '        pattern: "^rank-[a-z0-9-]+$"\n        enum: [rank-bm25-v2, rank-bm25-v3]\n');
      const run = runDcp(["validate", "--envs", envs.dir, "--json"]);
      expect(run.status).to.equal(1);
      const report = JSON.parse(run.stdout) as { ok: boolean; exitCode: number; errors: number; diagnostics: Array<{ file: string; line: number; col: number; message: string }> };
      expect(report).to.include({ ok: false, exitCode: 1, errors: 1 });
      expect(report.diagnostics[0]).to.include({ line: envs.lineOf("pipeline.yaml", "enum: [rank-bm25-v2"), col: 9 });
      expect(report.diagnostics[0]?.file).to.match(/pipeline\.yaml$/);
      expect(report.diagnostics[0]?.message).to.include("has both a pattern and an enum; AppConfig constrains a string attribute with one or the other, not both");
    });
  });

  it("checks only the named stage's file and stacks with --stage", () => {
    envs.replace("beta.yaml", "logLevel: DEBUG", "logLevel: NOISY");
    const run = runDcp(["validate", "--envs", envs.dir, "--stage", "gamma"]);
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stdout).to.include("2 stacks checked");
  });

  it("exits 1 on a --stage that is not a stage", () => {
    const run = runDcp(["validate", "--envs", envs.dir, "--stage", "staging"]);
    expect(run.status).to.equal(1);
    expect(run.stderr).to.include('there is no stage "staging"');
  });

  it("exits 1 when the envs directory does not exist, naming the path without a position in it", () => {
    const run = runDcp(["validate", "--envs", `${envs.root}/missing`]);
    expect(run.status).to.equal(1);
    expect(run.stderr).to.match(/missing: error: envs directory not found/);
  });

  it("says --envs takes a directory when it is given a file", () => {
    const run = runDcp(["validate", "--envs", `${envs.root}/envs/pipeline.yaml`]);
    expect(run.status).to.equal(1);
    expect(run.stderr).to.include("pipeline.yaml: error: is a file, not the envs directory").and.not.include("not found");
  });
});
