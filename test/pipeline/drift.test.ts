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

const flags = {
  version: "1",
  flags: { "apple-pay": { name: "apple-pay", attributes: { regions: { constraints: { type: "array" } } } } },
  values: { "apple-pay": { enabled: true, regions: ["us-east-1"], note: null } },
};
const stamped = {
  ...flags,
  flags: { "apple-pay": { ...flags.flags["apple-pay"], _createdAt: "2026-03-01T10:00:00Z", _updatedAt: "2026-03-02T08:00:00Z" } },
  values: { "apple-pay": { ...flags.values["apple-pay"], _createdAt: "2026-03-01T10:00:00Z", _updatedAt: "2026-03-02T08:00:00Z" } },
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

  it("reports a list edited by hand into an object, though AppConfig also stamped the content", async () => {
    const listless = { ...stamped, values: { "apple-pay": { ...stamped.values["apple-pay"], regions: { 0: "us-east-1" } } } };
    world.engine.drift("gamma-us-east-1", [flagContent("gamma-us-east-1", flags, listless)]);

    const [stack] = await drift(envs, { stage: "gamma", region: "us-east-1" }, world.ports());

    expect(stack?.state).to.equal("drifted");
  });

  it("reports content that is not JSON, or not a JSON object, as written, and ignores injected-looking fields only in content", async () => {
    const resource = (property: string, old: string, now: string): DriftedResource => ({ ...alarm("gamma-us-east-1"), properties: [property], diffs: [{ property, old, new: now }] });
    const cases = [
      resource("content", "flags: on", "flags: off"),
      resource("content", "5", "5.0"),
      resource("content", "null", " null"),
      resource("content", JSON.stringify(flags), "flags: off"),
      resource("description", JSON.stringify(flags), JSON.stringify(stamped)),
    ];
    for (const drifted of cases) {
      world.engine.drift("gamma-us-east-1", [drifted]);
      const [stack] = await drift(envs, { stage: "gamma", region: "us-east-1" }, world.ports());
      expect(stack?.state, JSON.stringify(drifted.diffs)).to.equal("drifted");
    }
  });

  it("reports a stack never released with nothing to show", async () => {
    const [stack] = await drift(envs, { stage: "prod", region: "us-east-1" }, world.ports());
    expect(stack).to.deep.equal({ stack: "prod-us-east-1", stage: "prod", region: "us-east-1", state: "never-released", resources: [] });
  });

  it("checks every stack of every stage when none is named, and lets Ctrl-C stop the refresh", async () => {
    const signals: (AbortSignal | undefined)[] = [];
    const engine = { outputs: async () => ({}), refresh: async (_stack: unknown, options: { signal?: AbortSignal }) => (signals.push(options.signal), []) };
    const interrupt = new AbortController();

    const report = await drift(envs, {}, { engine } as unknown as Parameters<typeof drift>[2], interrupt.signal);

    expect(report.map((s) => s.stack)).to.deep.equal(world.stacks().map((s) => s.name));
    expect(signals).to.have.length(world.stacks().length);
    expect(signals.every((s) => s === interrupt.signal)).to.equal(true);
  });

  it("refuses an unknown stage or a region with no stack", async () => {
    const unknown = await failureOf(drift(envs, { stage: "staging" }, world.ports()));
    expect(unknown.exitCode).to.equal(ExitCode.usage);
    expect(unknown.message).to.equal('unknown stage "staging"; the stages are beta, gamma, prod');
    expect((await failureOf(drift(envs, { stage: "beta", region: "eu-west-1" }, world.ports()))).message).to.equal("no stack of beta is in region eu-west-1");
    expect((await failureOf(drift(envs, { region: "sa-east-1" }, world.ports()))).message).to.equal("no stack is in region sa-east-1");
  });
});
