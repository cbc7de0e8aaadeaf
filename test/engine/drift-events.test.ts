import { expect } from "chai";
import type { EngineEvent, StepEventMetadata, StepEventStateMetadata } from "@pulumi/pulumi/automation";
import { EventCollector } from "../../cli/engine/engine-events";

const urn = "urn:pulumi:gamma-us-east-1::storefront::aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion::feature-flags";
const type = "aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion";

/** A resource's state as a refresh step carries it: `old` as the last update recorded it, `new` as read live. */
function state(outputs: Record<string, unknown>): StepEventStateMetadata {
  return { type, urn, id: "ver-1", parent: "", provider: "", inputs: {}, outputs };
}

function refreshStep(metadata: Partial<StepEventMetadata>): EngineEvent {
  return { sequence: 0, timestamp: 0, resOutputsEvent: { metadata: { op: "update", urn, type, provider: "", ...metadata } } };
}

describe("drift from a refresh preview's events", () => {
  it("carries the recorded and live values of each drifted property, for the core to judge", () => {
    const events = new EventCollector("gamma-us-east-1");
    events.handle(
      refreshStep({
        diffs: ["content"],
        detailedDiff: { "tags.stage": { diffKind: "update" as never, inputDiff: false } },
        old: state({ content: '{"a":1}', tags: { stage: "gamma" }, versionNumber: 3 }),
        new: state({ content: '{"a":1,"_createdAt":"x"}', tags: { stage: "prod" }, versionNumber: 3 }),
      }),
    );

    expect(events.drifted()).to.deep.equal([
      {
        urn,
        type,
        properties: ["content", "tags.stage"],
        diffs: [
          { property: "content", old: '{"a":1}', new: '{"a":1,"_createdAt":"x"}' },
          { property: "tags.stage", old: "gamma", new: "prod" },
        ],
      },
    ]);
  });

  it("reads nested paths with list indices, and leaves out a side the step lacks", () => {
    const events = new EventCollector("gamma-us-east-1");
    events.handle(refreshStep({ diffs: ["validators[0].content"], old: state({ validators: [{ content: "{}" }] }) }));

    expect(events.drifted()[0]?.diffs).to.deep.equal([{ property: "validators[0].content", old: "{}" }]);
  });

  it("reports no values when the step carries no states, so that the core counts the change as drift", () => {
    const events = new EventCollector("gamma-us-east-1");
    events.handle(refreshStep({ diffs: ["content"] }));

    expect(events.drifted()).to.deep.equal([{ urn, type, properties: ["content"] }]);
  });

  it("passes no value of a secret the engine blinded on both sides, so the core counts the change as drift", () => {
    // As the v3.248.0 engine sends a hosted version's content (pulumi-aws marks it secret) in a refresh preview.
    const blinded = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "[secret]" };
    const events = new EventCollector("gamma-us-east-1");
    events.handle(refreshStep({ diffs: ["content"], old: state({ content: blinded }), new: state({ content: blinded }) }));
    expect(events.drifted()).to.deep.equal([{ urn, type, properties: ["content"], diffs: [{ property: "content" }] }]);
  });

  it("sees through a secret whose plaintext the event carries, and into its nested properties", () => {
    const secret = (plaintext: unknown) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", plaintext });
    const events = new EventCollector("gamma-us-east-1");
    events.handle(
      refreshStep({
        diffs: ["content", "settings.level"],
        old: state({ content: secret('{"a":1}'), settings: secret({ level: "INFO" }) }),
        new: state({ content: secret('{"a":2}'), settings: secret({ level: "DEBUG" }) }),
      }),
    );
    expect(events.drifted()[0]?.diffs).to.deep.equal([
      { property: "content", old: '{"a":1}', new: '{"a":2}' },
      { property: "settings.level", old: "INFO", new: "DEBUG" },
    ]);
  });

  const driftOps = ["update", "delete", "replace", "create-replacement", "delete-replaced", "read-replacement"] as const;
  for (const op of driftOps) {
    it(`counts a resource the refresh would ${op} as drifted, even with no property named`, () => {
      const events = new EventCollector("gamma-us-east-1");
      events.handle(refreshStep({ op }));
      expect(events.drifted()).to.deep.equal([{ urn, type, properties: [] }]);
    });
  }

  it("counts no drift for a resource the refresh reads as it was", () => {
    const events = new EventCollector("gamma-us-east-1");
    for (const op of ["same", "refresh", "read"] as const) events.handle(refreshStep({ op }));
    expect(events.drifted()).to.deep.equal([]);
  });

  it("leaves out the stack itself and the providers, which are not the workload's resources", () => {
    const events = new EventCollector("gamma-us-east-1");
    events.handle(refreshStep({ urn: "urn:pulumi:gamma-us-east-1::storefront::pulumi:pulumi:Stack::storefront-gamma-us-east-1", type: "pulumi:pulumi:Stack", diffs: ["outputs"] }));
    events.handle(refreshStep({ urn: "urn:pulumi:gamma-us-east-1::storefront::pulumi:providers:aws::gamma", type: "pulumi:providers:aws", diffs: ["version"] }));
    expect(events.drifted()).to.deep.equal([]);
  });

  it("merges what two events say about one resource, keeping the values of the one that carried states, in name order", () => {
    const events = new EventCollector("gamma-us-east-1");
    events.handle(
      refreshStep({ diffs: ["tags.stage", "content"], old: state({ content: "a", tags: { stage: "gamma" } }), new: state({ content: "b", tags: { stage: "prod" } }) }),
    );
    events.handle(refreshStep({ detailedDiff: { description: { diffKind: "update" as never, inputDiff: false } } }));
    expect(events.drifted()).to.deep.equal([
      {
        urn,
        type,
        properties: ["content", "description", "tags.stage"],
        diffs: [
          { property: "content", old: "a", new: "b" },
          { property: "tags.stage", old: "gamma", new: "prod" },
        ],
      },
    ]);
  });

  it("gives the live value alone when the step carries only the live state", () => {
    const events = new EventCollector("gamma-us-east-1");
    events.handle(refreshStep({ diffs: ["content"], new: state({ content: "{}" }) }));
    expect(events.drifted()[0]?.diffs).to.deep.equal([{ property: "content", new: "{}" }]);
  });

  it("reads list indices past 9", () => {
    const events = new EventCollector("gamma-us-east-1");
    const dimensions = Array.from({ length: 12 }, (_, i) => ({ value: `d${i}` }));
    events.handle(refreshStep({ diffs: ["dimensions[11].value"], old: state({ dimensions }) }));
    expect(events.drifted()[0]?.diffs).to.deep.equal([{ property: "dimensions[11].value", old: "d11" }]);
  });

  it("takes a null value as a value, and a path through null as no value", () => {
    const events = new EventCollector("gamma-us-east-1");
    events.handle(
      refreshStep({
        diffs: ["description", "tags.stage"],
        old: state({ description: null, tags: null }),
        new: state({ description: "checkout", tags: { stage: "gamma" } }),
      }),
    );
    expect(events.drifted()[0]?.diffs).to.deep.equal([
      { property: "description", old: null, new: "checkout" },
      { property: "tags.stage", new: "gamma" },
    ]);
  });
});
