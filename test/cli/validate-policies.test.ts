import { expect } from "chai";
import { runDcp } from "../support/run-dcp";
import { EnvsCopy } from "../support/sample-envs";

describe("dcp validate with the policy pack", () => {
  let envs: EnvsCopy;
  beforeEach(() => (envs = new EnvsCopy()));
  afterEach(() => envs.remove());

  it("exits 2 naming the policy, the prod.yaml line that set the value and the prod stacks, once, when prod logs at DEBUG", () => {
    envs.replace("prod.yaml", "logLevel: ERROR", "logLevel: DEBUG");
    const run = runDcp(["validate", "--envs", envs.dir, "--stage", "prod"]);
    expect(run.status, run.stderr).to.equal(2);
    const lines = run.stderr.split("\n").filter((line) => line.includes("no-debug-logging-in-production"));
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(/prod\.yaml:\d+:\d+: no-debug-logging-in-production \(mandatory\) on prod-us-east-1, .*prod-ap-northeast-1: .*checkout.*DEBUG/);
  });

  it("reports the same violations, lines and exit code when the unchanged envs/ is validated again, from the cache", () => {
    envs.replace("prod.yaml", "logLevel: ERROR", "logLevel: DEBUG");
    const first = runDcp(["validate", "--envs", envs.dir, "--stage", "prod"]);
    const again = runDcp(["validate", "--envs", envs.dir, "--stage", "prod"]);
    expect(first.status, first.stderr).to.equal(2);
    expect(again).to.deep.equal(first);
    const json = [runDcp(["validate", "--envs", envs.dir, "--stage", "prod", "--json"]), runDcp(["validate", "--envs", envs.dir, "--stage", "prod", "--json"])];
    expect(json[1]).to.deep.equal(json[0]);
    expect(JSON.parse(json[0]!.stdout).violations).to.not.be.empty;
  });

  it("exits 2 when gamma has no alarms to monitor its deployments", () => {
    envs.replace("gamma.yaml", /\nalarms:\n(( {2}.*)?\n)+?(?=flags:)/, "\nalarms: []\n\n");
    const run = runDcp(["validate", "--envs", envs.dir, "--stage", "gamma"]);
    expect(run.status, run.stderr).to.equal(2);
    expect(run.stderr).to.match(/gamma\.yaml:\d+:\d+: [a-z-]+ \(mandatory\) on gamma-us-east-1, gamma-eu-west-1: .*monitor/im);
  });

  it("only warns about an advisory violation in beta, and exits 0", () => {
    envs.replace("beta.yaml", /\nalarms:\n(( {2}.*)?\n)+?(?=flags:)/, "\nalarms: []\n\n");
    const run = runDcp(["validate", "--envs", envs.dir, "--stage", "beta"]);
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stderr).to.match(/beta\.yaml:\d+:\d+: [a-z-]+ \(advisory\) on beta-us-west-2:/m);
  });

  it("gives violations as objects with --json", () => {
    envs.replace("prod.yaml", "logLevel: ERROR", "logLevel: DEBUG");
    const run = runDcp(["validate", "--envs", envs.dir, "--json", "--stage", "prod"]);
    const report = JSON.parse(run.stdout) as { exitCode: number; violations: Array<{ stack: string; policy: string; level: string; message: string }> };
    expect(report.exitCode).to.equal(2);
    const canary = report.violations.filter((v) => v.stack === "prod-us-east-1");
    expect(canary).to.have.length(1);
    expect(canary[0]).to.include({ policy: "no-debug-logging-in-production", level: "mandatory" });
    expect(canary[0]!.message).to.match(/logLevel is DEBUG in a production stage/);
  });

  it("reports configuration errors (exit 1) before running any policy", () => {
    envs.replace("prod.yaml", "logLevel: ERROR", "logLevel: DEBUG");
    envs.replace("prod.yaml", "growthType: EXPONENTIAL", "growthType: STEPPED");
    const run = runDcp(["validate", "--envs", envs.dir]);
    expect(run.status).to.equal(1);
    expect(run.stderr).to.not.include("(mandatory)");
  });
});
