import { expect } from "chai";
import type { EngineEvent, StepEventMetadata } from "@pulumi/pulumi/automation";
import { EventCollector } from "../../cli/engine/engine-events";
import { policyEvent } from "./fake-stack";

const stackName = "gamma-us-east-1";
const alarm = {
  urn: "urn:pulumi:gamma-us-east-1::storefront::aws:cloudwatch/metricAlarm:MetricAlarm::checkout-5xx",
  type: "aws:cloudwatch/metricAlarm:MetricAlarm",
  provider: "",
};

function event(fields: Partial<EngineEvent>): EngineEvent {
  return { sequence: 0, timestamp: 0, ...fields };
}

function step(op: StepEventMetadata["op"], metadata: Partial<StepEventMetadata> = {}): StepEventMetadata {
  return { ...alarm, op, ...metadata };
}

/** A collector whose progress lines are recorded. */
function collecting(): { events: EventCollector; progress: string[] } {
  const progress: string[] = [];
  return { events: new EventCollector(stackName, (line) => progress.push(line)), progress };
}

describe("what dcp reads from the engine's events", () => {
  describe("policy violations", () => {
    it("reads a stack-level violation, which names no resource, without a resource", () => {
      const { events } = collecting();
      events.handle(event(policyEvent("advisory", "required-tags")));
      expect(events.violations).to.deep.equal([{ stack: stackName, policy: "required-tags", level: "advisory", message: "required-tags was violated" }]);
    });

    it("tells the user of each violation as it arrives, with its level", () => {
      const { events, progress } = collecting();
      events.handle(event(policyEvent("warning", "required-tags")));
      events.handle(event(policyEvent("mandatory", "prod-no-debug-logging")));
      expect(progress).to.deep.equal([
        "policy required-tags (advisory): required-tags was violated",
        "policy prod-no-debug-logging (mandatory): prod-no-debug-logging was violated",
      ]);
    });

    it("counts as mandatory only the violations of mandatory policies", () => {
      const { events } = collecting();
      for (const level of ["advisory", "mandatory", "remediate", "disabled", "a-level-from-the-future"]) events.handle(event(policyEvent(level, `policy-${level}`)));
      expect(events.mandatory.map((violation) => violation.policy)).to.deep.equal(["policy-mandatory", "policy-a-level-from-the-future"]);
    });
  });

  describe("error diagnostics", () => {
    it("keeps each error, prefixed with the resource it is about when it names one", () => {
      const { events } = collecting();
      events.handle(event({ diagnosticEvent: { message: "TypeError: flags is undefined\n", color: "never", severity: "error" } }));
      events.handle(event({ diagnosticEvent: { message: "creating alarm: AccessDenied\n", color: "never", severity: "error", urn: alarm.urn } }));
      expect(events.errors).to.deep.equal(["TypeError: flags is undefined", "checkout-5xx: creating alarm: AccessDenied"]);
    });

    it("leaves out warnings, information and ephemeral errors", () => {
      const { events } = collecting();
      events.handle(event({ diagnosticEvent: { message: "deprecated input\n", color: "never", severity: "warning" } }));
      events.handle(event({ diagnosticEvent: { message: "retrying\n", color: "never", severity: "info" } }));
      events.handle(event({ diagnosticEvent: { message: "transient\n", color: "never", severity: "error", ephemeral: true } }));
      expect(events.errors).to.deep.equal([]);
    });
  });

  describe("progress lines", () => {
    it("says what happens to each resource as the engine does it, and nothing for unchanged resources or planning", () => {
      const { events, progress } = collecting();
      events.handle(event({ resourcePreEvent: { metadata: step("create"), planning: true } }));
      events.handle(event({ resourcePreEvent: { metadata: step("same") } }));
      events.handle(event({ resourcePreEvent: { metadata: step("update") } }));
      events.handle(event({ resOpFailedEvent: { metadata: step("update"), status: 1, steps: 0 } }));
      expect(progress).to.deep.equal([
        "update aws:cloudwatch/metricAlarm:MetricAlarm checkout-5xx",
        "failed aws:cloudwatch/metricAlarm:MetricAlarm checkout-5xx",
      ]);
    });

    it("needs no listener", () => {
      const events = new EventCollector(stackName);
      events.handle(event(policyEvent("advisory", "required-tags")));
      events.handle(event({ resourcePreEvent: { metadata: step("update") } }));
      events.handle(event({ resOpFailedEvent: { metadata: step("update"), status: 1, steps: 0 } }));
      expect(events.violations).to.have.length(1);
    });

    it("hands every event, whatever it is, to the listener for logs", () => {
      const forwarded: EngineEvent[] = [];
      const events = new EventCollector(stackName, undefined, (raw) => forwarded.push(raw));
      const all = [event({ cancelEvent: {} }), event(policyEvent("advisory", "required-tags")), event({ resourcePreEvent: { metadata: step("same") } })];
      for (const raw of all) events.handle(raw);
      expect(forwarded).to.deep.equal(all);
    });
  });
});
