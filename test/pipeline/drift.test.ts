import { expect } from "chai";
import type { Envs } from "../../cli/config/model";
import { ExitCode } from "../../cli/errors";
import { drift, driftFound } from "../../cli/pipeline/drift";
import type { DriftedResource } from "../../cli/pipeline/ports";
import { renderDrift } from "../../cli/ui/drift-view";
import { failureOf, sampleEnvs, World } from "./fakes/world";

const alarm = (stack: string): DriftedResource => ({
  urn: `urn:pulumi:${stack}::storefront::aws:cloudwatch/metricAlarm:MetricAlarm::checkout-5xx`,
  type: "aws:cloudwatch/metricAlarm:MetricAlarm",
  properties: ["threshold"],
  diffs: [{ property: "threshold", old: 10, new: 50 }],
});

/** The feature-flag content of a hosted configuration version, as recorded and as read live. */
const flagContent = (stack: string, recorded: object, live: object): DriftedResource => ({
  urn: `urn:pulumi:${stack}::storefront::dcp:appconfig:Profiles$aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion::feature-flags`,
  type: "aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion",
  properties: ["content"],
  diffs: [{ property: "content", old: JSON.stringify(recorded), new: JSON.stringify(live) }],
});

const flags = { version: "1", flags: { "apple-pay": { name: "apple-pay" } }, values: { "apple-pay": { enabled: true } } };
const stamped = {
  ...flags,
  flags: { "apple-pay": { name: "apple-pay", _createdAt: "2026-03-01T10:00:00Z", _updatedAt: "2026-03-02T08:00:00Z" } },
  values: { "apple-pay": { enabled: true, _createdAt: "2026-03-01T10:00:00Z", _updatedAt: "2026-03-02T08:00:00Z" } },
};

describe("drift", () => {
  let envs: Envs;
  let world: World;

  before(async () => {
    envs = await sampleEnvs();
  });

  beforeEach(() => {
    world = new World(envs);
    world.seedPreviousRelease("gamma");
  });

  it("reports the resources changed by hand on each stack, with their properties", async () => {
    world.engine.drift("gamma-eu-west-1", [alarm("gamma-eu-west-1")]);

    const report = await drift(envs, { stage: "gamma" }, world.ports());

    expect(report).to.deep.equal([
      { stack: "gamma-us-east-1", stage: "gamma", region: "us-east-1", state: "in-sync", resources: [] },
      {
        stack: "gamma-eu-west-1",
        stage: "gamma",
        region: "eu-west-1",
        state: "drifted",
        resources: [{ urn: alarm("gamma-eu-west-1").urn, type: "aws:cloudwatch/metricAlarm:MetricAlarm", properties: ["threshold"] }],
      },
    ]);
    expect(driftFound(report)).to.equal(true);
    expect(renderDrift(report)).to.match(/gamma-eu-west-1\s+drifted\s+MetricAlarm checkout-5xx\s+threshold/);
  });

  it("finds no drift when the live state is what the release left", async () => {
    const report = await drift(envs, { stage: "gamma" }, world.ports());
    expect(report.map((s) => s.state)).to.deep.equal(["in-sync", "in-sync"]);
    expect(driftFound(report)).to.equal(false);
  });

  it("reports stacks never released as such, without refreshing them, and not as drift", async () => {
    const report = await drift(envs, { stage: "prod" }, world.ports());

    expect(report.map((s) => s.state)).to.deep.equal(world.stacks("prod").map(() => "never-released"));
    expect(driftFound(report)).to.equal(false);
    expect(world.engine.calls.filter((c) => c.op === "refresh")).to.deep.equal([]);
  });

  it("ignores feature-flag content that differs only by AppConfig's _createdAt and _updatedAt, at any depth", async () => {
    world.engine.drift("gamma-us-east-1", [flagContent("gamma-us-east-1", flags, stamped)]);

    const report = await drift(envs, { stage: "gamma", region: "us-east-1" }, world.ports());

    expect(report[0]?.state).to.equal("in-sync");
  });

  it("reports feature-flag content changed by hand, though AppConfig also stamped it", async () => {
    const edited = { ...stamped, values: { "apple-pay": { ...stamped.values["apple-pay"], enabled: false } } };
    world.engine.drift("gamma-us-east-1", [flagContent("gamma-us-east-1", flags, edited)]);

    const [stack] = await drift(envs, { stage: "gamma", region: "us-east-1" }, world.ports());

    expect(stack?.state).to.equal("drifted");
    expect(stack?.resources[0]?.properties).to.deep.equal(["content"]);
  });

  it("keeps the other drifted properties of a resource whose content differs only by injected fields", async () => {
    const resource = flagContent("gamma-us-east-1", flags, stamped);
    world.engine.drift("gamma-us-east-1", [{ ...resource, properties: ["content", "description"] }]);

    const [stack] = await drift(envs, { stage: "gamma", region: "us-east-1" }, world.ports());

    expect(stack?.resources[0]?.properties).to.deep.equal(["description"]);
  });

  it("counts content as drift when the engine did not report both values", async () => {
    const { diffs: _none, ...withoutValues } = flagContent("gamma-us-east-1", flags, stamped);
    world.engine.drift("gamma-us-east-1", [withoutValues]);

    const [stack] = await drift(envs, { stage: "gamma", region: "us-east-1" }, world.ports());

    expect(stack?.state).to.equal("drifted");
  });

  it("reports a resource deleted by hand, which has no properties to compare", async () => {
    world.engine.drift("gamma-us-east-1", [{ ...alarm("gamma-us-east-1"), properties: [], diffs: [] }]);

    const report = await drift(envs, { stage: "gamma", region: "us-east-1" }, world.ports());

    expect(report[0]?.state).to.equal("drifted");
    expect(renderDrift(report)).to.include("(deleted or replaced)");
  });

  it("refuses an unknown stage or a region with no stack", async () => {
    expect((await failureOf(drift(envs, { stage: "staging" }, world.ports()))).exitCode).to.equal(ExitCode.usage);
    expect((await failureOf(drift(envs, { stage: "beta", region: "eu-west-1" }, world.ports()))).message).to.include("no stack of beta is in region eu-west-1");
  });
});
