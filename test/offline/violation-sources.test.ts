import { expect } from "chai";
import { validate } from "../../cli/offline/validate";
import { resourceOf, stageFilePathOf } from "../../cli/offline/violation-sources";
import { EnvsCopy } from "../support/sample-envs";

describe("tracing a policy violation back to envs/", () => {
  let envs: EnvsCopy;
  beforeEach(() => (envs = new EnvsCopy()));
  afterEach(() => envs.remove());

  it("reports a value that breaks a policy on every prod stack once, at its line in prod.yaml, with the stacks", async () => {
    envs.replace("prod.yaml", "  finalBakeMinutes: 30", "  finalBakeMinutes: 5");
    const report = await validate({ envsDir: envs.dir, stage: "prod" });
    const bakes = report.findings.filter((finding) => finding.violation.policy === "production-rollout-bakes");
    expect(bakes).to.have.length(1);
    expect(bakes[0]!.stacks).to.have.members(report.violations.filter((v) => v.policy === "production-rollout-bakes").map((v) => v.stack));
    expect(bakes[0]!.stacks).to.have.length(6);
    const rolloutLine = envs.read("prod.yaml").split("\n").findIndex((line) => line.startsWith("rollout:")) + 2;
    expect(bakes[0]!.source).to.deep.include({ line: rolloutLine });
    expect(bakes[0]!.source?.file).to.match(/prod\.yaml$/);
  });

  it("points an alarm's violation at that alarm's entry, and a component's at its config", () => {
    const alarms = ["checkout-5xx", "payments-errors"];
    expect(stageFilePathOf({ type: "aws:cloudwatch/metricAlarm:MetricAlarm", name: "payments-errors" }, alarms)).to.deep.equal(["alarms", 1]);
    const version = { type: "aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion", name: "checkout-0123456789ab" };
    expect(stageFilePathOf(version, alarms)).to.deep.equal(["config", "checkout"]);
    expect(stageFilePathOf({ ...version, name: "feature-flags-0123456789ab" }, alarms)).to.deep.equal(["flags"]);
  });

  it("reads the resource out of an engine URN and out of the offline evaluator's type::name", () => {
    const urn = "urn:pulumi:prod-us-east-1::storefront::dcp:infra:StageAlarms$aws:cloudwatch/metricAlarm:MetricAlarm::checkout-5xx";
    expect(resourceOf(urn)).to.deep.equal({ type: "aws:cloudwatch/metricAlarm:MetricAlarm", name: "checkout-5xx" });
    expect(resourceOf("aws:appconfig/deploymentStrategy:DeploymentStrategy::strategy")).to.deep.equal({
      type: "aws:appconfig/deploymentStrategy:DeploymentStrategy",
      name: "strategy",
    });
  });
});
