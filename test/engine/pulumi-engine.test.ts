import { expect } from "chai";
import { readFileSync } from "node:fs";
import type { UpdateSummary } from "@pulumi/pulumi/automation";
import { PulumiEngine, type PulumiEngineOptions, type StackFactory } from "../../cli/engine/pulumi-engine";
import { DeploymentError, InterruptedError, StackLockedError } from "../../cli/errors";
import type { StackRef } from "../../cli/pipeline/ports";
import { failureOf } from "../pipeline/fakes/world";
import { commandError, FakeStack, policyEvent, sampleConfig, update } from "./fake-stack";

const gamma: StackRef = { stage: "gamma", region: "us-east-1", name: "gamma-us-east-1" };
const policyConfig = { all: "advisory", "prod-no-debug-logging": { enforcementLevel: "mandatory" } };

/**
 * An engine over fake stacks, of which `existing` are in the backend. `selections` records
 * each `Stack.select` / `Stack.createOrSelect` the adapter made, as "select name".
 */
function engineOver(stacks: Record<string, FakeStack>, existing = Object.keys(stacks), selections: string[] = [], options: Partial<PulumiEngineOptions> = {}) {
  const factory: StackFactory = {
    async select(name) {
      selections.push(`select ${name}`);
      const stack = stacks[name];
      if (!stack || !existing.includes(name) || stack.removed) throw commandError(`error: no stack named '${name}' found`);
      return stack;
    },
    async createOrSelect(name) {
      selections.push(`createOrSelect ${name}`);
      const stack = stacks[name];
      if (!stack) throw new Error(`unexpected stack ${name}`);
      if (!existing.includes(name)) existing.push(name);
      stack.removed = false;
      return stack;
    },
  };
  return new PulumiEngine(async () => factory, { policyPack: "/repo/policies", ...options });
}

describe("the Pulumi engine adapter", () => {
  describe("preview", () => {
    it("reports policy events of every enforcement level, with the SDK's 'warning' read as advisory", async () => {
      const stack = new FakeStack(gamma.name);
      const urn = "urn:pulumi:gamma-us-east-1::storefront::aws:appconfig/environment:Environment::env";
      stack.previewEvents = ["warning", "advisory", "mandatory", "remediate", "disabled"].map((level) =>
        policyEvent(level, `policy-${level}`, urn),
      );
      stack.previewError = commandError("error: preview failed");
      const result = await engineOver({ [gamma.name]: stack }).preview(gamma, sampleConfig(), { policyConfig });
      expect(result.violations.map((violation) => [violation.policy, violation.level])).to.deep.equal([
        ["policy-warning", "advisory"],
        ["policy-advisory", "advisory"],
        ["policy-mandatory", "mandatory"],
        ["policy-remediate", "remediate"],
        ["policy-disabled", "disabled"],
      ]);
      expect(result.violations[2]).to.deep.include({ stack: gamma.name, resource: urn, message: "policy-mandatory was violated" });
    });

    it("treats an enforcement level it does not know as mandatory, so nothing slips through", async () => {
      const stack = new FakeStack(gamma.name);
      stack.previewEvents = [policyEvent("block-everything", "future-policy")];
      const result = await engineOver({ [gamma.name]: stack }).preview(gamma, sampleConfig(), { policyConfig });
      expect(result.violations[0]?.level).to.equal("mandatory");
    });

    it("returns advisory violations and the change counts of a preview that succeeded", async () => {
      const stack = new FakeStack(gamma.name);
      stack.previewEvents = [policyEvent("advisory", "required-tags")];
      const result = await engineOver({ [gamma.name]: stack }).preview(gamma, sampleConfig(), { policyConfig });
      expect(result).to.deep.include({ stack: gamma.name, changes: { create: 2, same: 5 } });
      expect(result.violations).to.have.length(1);
    });

    it("previews a stack never released on a stack created for the preview alone, and removes it with its settings file", async () => {
      const stack = new FakeStack(gamma.name);
      const existing: string[] = [];
      const config = sampleConfig();
      await engineOver({ [gamma.name]: stack }, existing).preview(gamma, config, { policyConfig });
      expect(stack.calls).to.deep.equal(["saveStackSettings", "preview", "removeStack"]);
      expect(JSON.parse(stack.config.get("dcp:stack") ?? "")).to.deep.equal(config);
      expect(stack.removed).to.equal(true);
      expect(stack.settingsFile).to.equal(undefined);
    });

    it("gives an existing stack's settings file back as it was, so no previewed StackConfig is left to be recorded", async () => {
      const stack = new FakeStack(gamma.name);
      const released = { encryptionSalt: "v1:salt", config: { "dcp:stack": JSON.stringify(sampleConfig("aaaaaaaaaaaa")) } };
      stack.settingsFile = released;
      await engineOver({ [gamma.name]: stack }).preview(gamma, sampleConfig("bbbbbbbbbbbb"), { policyConfig });
      expect(stack.lastPreviewOptions, "previewed").not.to.equal(undefined);
      expect(stack.settingsFile).to.deep.equal(released);
      expect(stack.removed).to.equal(false);
    });

    it("leaves no settings file behind on an existing stack that had none, even when the preview fails", async () => {
      const stack = new FakeStack(gamma.name);
      stack.previewError = commandError("error: preview failed");
      const failure = await engineOver({ [gamma.name]: stack }).preview(gamma, sampleConfig(), { policyConfig }).catch((e: unknown) => e);
      expect(failure).to.be.instanceOf(DeploymentError);
      expect(stack.settingsFile).to.equal(undefined);
    });

    it("sets the StackConfig as dcp:stack before previewing, with the policy pack and this stage's policy config", async () => {
      const stack = new FakeStack(gamma.name);
      const config = sampleConfig();
      await engineOver({ [gamma.name]: stack }).preview(gamma, config, { policyConfig });
      expect(stack.calls).to.deep.equal(["saveStackSettings", "preview"]);
      expect(JSON.parse(stack.config.get("dcp:stack") ?? "")).to.deep.equal(config);
      expect(stack.lastPreviewOptions?.policyPacks).to.deep.equal(["/repo/policies"]);
      const [file] = stack.lastPreviewOptions?.policyPackConfigs ?? [];
      expect(JSON.parse(readFileSync(file ?? "", "utf8"))).to.deep.equal(policyConfig);
    });

    it("hands over a StackConfig larger than one command-line argument may be, keeping the settings file's salt", async () => {
      const stack = new FakeStack(gamma.name);
      stack.settingsFile = { encryptionSalt: "v1:salt", config: { "aws:region": "us-east-1" } };
      const config = sampleConfig();
      for (let i = 0; i < 2000; i++) {
        config.flags[`flag-${i}`] = { declaration: { description: "x".repeat(100), owner: "team", components: ["checkout"] }, value: { enabled: true } };
      }
      await engineOver({ [gamma.name]: stack }).preview(gamma, config, { policyConfig });
      expect(JSON.stringify(config).length).to.be.greaterThan(128 * 1024);
      expect(JSON.parse(stack.config.get("dcp:stack") ?? "")).to.deep.equal(config);
      expect(stack.settingsFile).to.deep.include({ encryptionSalt: "v1:salt" });
      expect(stack.settingsFile?.config).to.include({ "aws:region": "us-east-1" });
    });

    it("is a DeploymentError with the engine's error diagnostics when the preview fails without a mandatory violation", async () => {
      const stack = new FakeStack(gamma.name);
      stack.previewEvents = [
        { diagnosticEvent: { message: "TypeError: flags is undefined\n", color: "never", severity: "error", urn: "urn:a::b::c::program" } },
      ];
      stack.previewError = commandError("error: preview failed\n");
      const failure = await engineOver({ [gamma.name]: stack })
        .preview(gamma, sampleConfig(), { policyConfig })
        .catch((error: unknown) => error);
      expect(failure).to.be.instanceOf(DeploymentError);
      expect((failure as Error).message).to.equal("preview of stack gamma-us-east-1 failed: program: TypeError: flags is undefined");
    });

    it("is interrupted, not failed, when its signal aborts", async () => {
      const stack = new FakeStack(gamma.name);
      stack.previewError = commandError("error: preview canceled");
      const controller = new AbortController();
      controller.abort();
      const failure = await engineOver({ [gamma.name]: stack })
        .preview(gamma, sampleConfig(), { policyConfig, signal: controller.signal })
        .catch((error: unknown) => error);
      expect(failure).to.be.instanceOf(InterruptedError);
      expect(stack.lastPreviewOptions?.signal).to.equal(controller.signal);
    });
  });

  describe("preview, when something around it fails", () => {
    it("names the preview and the stack when the stack cannot be read", async () => {
      const stack = new FakeStack(gamma.name);
      const engine = new PulumiEngine(
        async () => ({
          select: async () => {
            throw commandError("error: could not read the stack's checkpoint");
          },
          createOrSelect: async () => stack,
        }),
        { policyPack: "/repo/policies" },
      );
      const failure = await failureOf(engine.preview(gamma, sampleConfig(), { policyConfig }));
      expect(failure).to.be.instanceOf(DeploymentError);
      expect(failure.message).to.equal("preview of stack gamma-us-east-1 failed: error: could not read the stack's checkpoint");
      expect(stack.calls, "nothing previewed").to.deep.equal([]);
    });

    it("names the preview when a stack never released cannot be created for it", async () => {
      const engine = new PulumiEngine(
        async () => ({
          select: async (name) => {
            throw commandError(`error: no stack named '${name}' found`);
          },
          createOrSelect: async () => {
            throw commandError("error: could not create stack: permission denied");
          },
        }),
        { policyPack: "/repo/policies" },
      );
      const failure = await failureOf(engine.preview(gamma, sampleConfig(), { policyConfig }));
      expect(failure.message).to.equal("preview of stack gamma-us-east-1 failed: error: could not create stack: permission denied");
    });

    for (const [what, existing] of [["an existing stack", [gamma.name]], ["a stack never released", []]] as const) {
      it(`names the preview when the StackConfig cannot be written to the settings file of ${what}`, async () => {
        const stack = new FakeStack(gamma.name);
        stack.workspace.saveStackSettings = async () => {
          throw new Error("EACCES: permission denied, open 'Pulumi.gamma-us-east-1.yaml'");
        };
        const failure = await failureOf(engineOver({ [gamma.name]: stack }, [...existing]).preview(gamma, sampleConfig(), { policyConfig }));
        expect(failure).to.be.instanceOf(DeploymentError);
        expect(failure.message).to.equal("preview of stack gamma-us-east-1 failed: EACCES: permission denied, open 'Pulumi.gamma-us-east-1.yaml'");
        expect(stack.calls, "nothing previewed").not.to.include("preview");
      });
    }

    it("says the clean-up failed when the stack created for a preview cannot be removed", async () => {
      const stack = new FakeStack(gamma.name);
      stack.workspace.removeStack = async () => {
        throw commandError("error: could not remove stack: the backend is read-only");
      };
      const failure = await failureOf(engineOver({ [gamma.name]: stack }, []).preview(gamma, sampleConfig(), { policyConfig }));
      expect(failure).to.be.instanceOf(DeploymentError);
      expect(failure.message).to.equal("cleaning up after the preview of stack gamma-us-east-1 failed: error: could not remove stack: the backend is read-only");
    });

    it("reports the preview's own failure, not the clean-up's that followed it", async () => {
      const stack = new FakeStack(gamma.name);
      stack.previewError = commandError("error: the program crashed");
      stack.workspace.removeStack = async () => {
        throw commandError("error: could not remove stack");
      };
      const failure = await failureOf(engineOver({ [gamma.name]: stack }, []).preview(gamma, sampleConfig(), { policyConfig }));
      expect(failure.message).to.equal("preview of stack gamma-us-east-1 failed: error: the program crashed");
    });

    it("does not fail when the settings file it wrote was removed by someone else before it could restore it", async () => {
      const stack = new FakeStack(gamma.name);
      const preview = stack.preview.bind(stack);
      stack.preview = async (options) => {
        const result = await preview(options);
        stack.settingsFile = undefined;
        return result;
      };
      const result = await engineOver({ [gamma.name]: stack }).preview(gamma, sampleConfig(), { policyConfig });
      expect(result.changes).to.deep.equal({ create: 2, same: 5 });
      expect(stack.settingsFile).to.equal(undefined);
    });

    it("forgets the stack it created and removed for a preview: a later update creates it again, and reading it finds nothing", async () => {
      const stack = new FakeStack(gamma.name);
      const selections: string[] = [];
      const engine = engineOver({ [gamma.name]: stack }, [], selections);
      await engine.preview(gamma, sampleConfig(), { policyConfig });
      expect(await engine.outputs(gamma)).to.equal(undefined);
      await engine.up(gamma, sampleConfig(), { policyConfig });
      expect(selections).to.deep.equal([
        "select gamma-us-east-1",
        "createOrSelect gamma-us-east-1",
        "select gamma-us-east-1",
        "createOrSelect gamma-us-east-1",
      ]);
      expect(stack.calls).to.deep.equal(["saveStackSettings", "preview", "removeStack", "saveStackSettings", "up"]);
    });

    it("is interrupted, naming the preview and the stack, when its signal aborts", async () => {
      const stack = new FakeStack(gamma.name);
      stack.previewEvents = [policyEvent("mandatory", "prod-no-debug-logging")];
      stack.previewError = commandError("error: preview canceled");
      const controller = new AbortController();
      controller.abort();
      const failure = await failureOf(engineOver({ [gamma.name]: stack }).preview(gamma, sampleConfig(), { policyConfig, signal: controller.signal }));
      expect(failure).to.be.instanceOf(InterruptedError);
      expect(failure.message).to.equal("preview of stack gamma-us-east-1 was interrupted");
    });

    it("is a failure, not a result, when the preview fails with advisory violations only", async () => {
      const stack = new FakeStack(gamma.name);
      stack.previewEvents = [policyEvent("advisory", "required-tags")];
      stack.previewError = commandError("error: the program crashed");
      const failure = await failureOf(engineOver({ [gamma.name]: stack }).preview(gamma, sampleConfig(), { policyConfig }));
      expect(failure).to.be.instanceOf(DeploymentError);
      expect(failure.message).to.equal("preview of stack gamma-us-east-1 failed: error: the program crashed");
    });

    it("reports a preview that mandatory policies failed as a result, with no changes", async () => {
      const stack = new FakeStack(gamma.name);
      stack.previewEvents = [policyEvent("mandatory", "prod-no-debug-logging")];
      stack.previewError = commandError("error: preview failed");
      const result = await engineOver({ [gamma.name]: stack }).preview(gamma, sampleConfig(), { policyConfig });
      expect(result).to.deep.equal({
        stack: gamma.name,
        changes: {},
        violations: [{ stack: gamma.name, policy: "prod-no-debug-logging", level: "mandatory", message: "prod-no-debug-logging was violated" }],
      });
    });
  });

  describe("update", () => {
    it("records the release id in the update's message, which `pulumi stack history` shows", async () => {
      const stack = new FakeStack(gamma.name);
      await engineOver({ [gamma.name]: stack }).up(gamma, sampleConfig("0123456789ab"), { policyConfig });
      expect(stack.lastUpOptions?.message).to.equal("dcp release 0123456789ab");
    });

    it("says only that dcp made the update when the StackConfig carries no release metadata", async () => {
      const stack = new FakeStack(gamma.name);
      const config = sampleConfig();
      delete config.metadata;
      await engineOver({ [gamma.name]: stack }).up(gamma, config, { policyConfig });
      expect(stack.lastUpOptions?.message).to.equal("dcp release");
    });

    it("runs with the policy pack, this stage's policy config, the signal, and no colour in what it reports", async () => {
      const stack = new FakeStack(gamma.name);
      const controller = new AbortController();
      await engineOver({ [gamma.name]: stack }).up(gamma, sampleConfig(), { policyConfig, signal: controller.signal });
      expect(stack.lastUpOptions).to.deep.include({ policyPacks: ["/repo/policies"], signal: controller.signal, color: "never" });
      const [file] = stack.lastUpOptions?.policyPackConfigs ?? [];
      expect(JSON.parse(readFileSync(file ?? "", "utf8"))).to.deep.equal(policyConfig);
    });

    it("names every mandatory policy that refused it, one per line, and none of the advisory ones", async () => {
      const stack = new FakeStack(gamma.name);
      stack.upEvents = [policyEvent("mandatory", "prod-no-debug-logging"), policyEvent("advisory", "required-tags"), policyEvent("mandatory", "iam-no-wildcards")];
      stack.upError = commandError("error: update failed");
      const failure = await failureOf(engineOver({ [gamma.name]: stack }).up(gamma, sampleConfig(), { policyConfig }));
      expect(failure).to.be.instanceOf(DeploymentError);
      expect(failure.message).to.equal(
        "update of stack gamma-us-east-1 was refused by mandatory policies:\n" +
          "prod-no-debug-logging: prod-no-debug-logging was violated\n" +
          "iam-no-wildcards: iam-no-wildcards was violated",
      );
    });

    it("is a plain failure when the update fails with advisory violations only", async () => {
      const stack = new FakeStack(gamma.name);
      stack.upEvents = [policyEvent("advisory", "required-tags")];
      stack.upError = commandError("error: creating AppConfig environment: AccessDenied");
      const failure = await failureOf(engineOver({ [gamma.name]: stack }).up(gamma, sampleConfig(), { policyConfig }));
      expect(failure.message).to.equal("update of stack gamma-us-east-1 failed: error: creating AppConfig environment: AccessDenied");
    });

    it("is the stack-locked error when the lock is hit, even with mandatory violations reported", async () => {
      const stack = new FakeStack(gamma.name);
      stack.upEvents = [policyEvent("mandatory", "prod-no-debug-logging")];
      stack.upError = commandError("error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end");
      const failure = await failureOf(engineOver({ [gamma.name]: stack }).up(gamma, sampleConfig(), { policyConfig }));
      expect(failure).to.be.instanceOf(StackLockedError);
    });

    it("names the update when the stack cannot be created or selected", async () => {
      const engine = new PulumiEngine(
        async () => ({
          select: async () => {
            throw new Error("unused");
          },
          createOrSelect: async () => {
            throw commandError("error: could not create stack: permission denied");
          },
        }),
        { policyPack: "/repo/policies" },
      );
      const failure = await failureOf(engine.up(gamma, sampleConfig(), { policyConfig }));
      expect(failure.message).to.equal("update of stack gamma-us-east-1 failed: error: could not create stack: permission denied");
    });

    it("hands every raw engine event to onEvent, tagged with its stack", async () => {
      const stack = new FakeStack(gamma.name);
      const event = policyEvent("advisory", "required-tags");
      stack.upEvents = [event];
      const seen: Array<[string, unknown]> = [];
      await engineOver({ [gamma.name]: stack }, undefined, [], { onEvent: (name, raw) => seen.push([name, raw]) }).up(gamma, sampleConfig(), {
        policyConfig,
      });
      expect(seen).to.deep.equal([[gamma.name, { sequence: 0, timestamp: 0, ...event }]]);
    });
  });

  describe("errors", () => {
    it("maps ConcurrentUpdateError to the stack-locked error", async () => {
      const stack = new FakeStack(gamma.name);
      stack.upError = commandError("error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end");
      const failure = await engineOver({ [gamma.name]: stack }).up(gamma, sampleConfig(), { policyConfig }).catch((e: unknown) => e);
      expect(failure).to.be.instanceOf(StackLockedError);
      expect((failure as Error).message).to.contain("stack gamma-us-east-1 is locked by another update");
    });

    it("maps a generic CommandError to a DeploymentError carrying the trimmed stderr, never the raw dump", async () => {
      const stack = new FakeStack(gamma.name);
      stack.upError = commandError("\u001b[31merror:\u001b[0m could not assume role arn:aws:iam::222222222222:role/dcp-deploy\n\n");
      const failure = await engineOver({ [gamma.name]: stack }).up(gamma, sampleConfig(), { policyConfig }).catch((e: unknown) => e);
      expect(failure).to.be.instanceOf(DeploymentError);
      expect((failure as Error).message).to.equal(
        "update of stack gamma-us-east-1 failed: error: could not assume role arn:aws:iam::222222222222:role/dcp-deploy",
      );
      expect((failure as Error).message).not.to.contain("stdout:");
    });

    it("reads a stack that was never released (StackNotFoundError) as no outputs and no history, and creates nothing", async () => {
      const stack = new FakeStack(gamma.name);
      const existing: string[] = [];
      const engine = engineOver({ [gamma.name]: stack }, existing);
      expect(await engine.outputs(gamma)).to.equal(undefined);
      expect(await engine.history(gamma)).to.deep.equal([]);
      expect(await engine.refresh(gamma, {})).to.deep.equal([]);
      expect(existing, "stacks created").to.deep.equal([]);
      expect(stack.settingsFile, "settings file").to.equal(undefined);
      expect(stack.calls).to.deep.equal([]);
    });

    it("refuses an update that mandatory policies reject, naming them", async () => {
      const stack = new FakeStack(gamma.name);
      stack.upEvents = [policyEvent("mandatory", "prod-no-debug-logging")];
      stack.upError = commandError("error: update failed");
      const failure = await engineOver({ [gamma.name]: stack }).up(gamma, sampleConfig(), { policyConfig }).catch((e: unknown) => e);
      expect(failure).to.be.instanceOf(DeploymentError);
      expect((failure as Error).message).to.contain("prod-no-debug-logging: prod-no-debug-logging was violated");
    });
  });

  describe("history", () => {
    it("gives back exactly the StackConfig each update applied, newest first, with who made it and when", async () => {
      const stack = new FakeStack(gamma.name);
      const engine = engineOver({ [gamma.name]: stack });
      const first = sampleConfig("aaaaaaaaaaaa");
      const second = sampleConfig("bbbbbbbbbbbb");
      await engine.up(gamma, first, { policyConfig });
      await engine.up(gamma, second, { policyConfig });
      const records = await engine.history(gamma);
      expect(records.map((record) => record.version)).to.deep.equal([2, 1]);
      expect(records[0]?.config).to.deep.equal(second);
      expect(records[1]?.config).to.deep.equal(first);
      expect(records[0]).to.deep.include({ kind: "update", result: "succeeded" });
      expect(records[0]?.environment).to.deep.include({ "git.author": "Ada <ada@example.com>", "ci.system": "GitHub" });
      expect(records.map((record) => [record.startedAt.toISOString(), record.endedAt?.toISOString()])).to.deep.equal([
        ["2026-11-01T12:02:00.000Z", "2026-11-01T12:02:30.000Z"],
        ["2026-11-01T12:01:00.000Z", "2026-11-01T12:01:30.000Z"],
      ]);
    });

    it("has no StackConfig for updates dcp did not make", async () => {
      const stack = new FakeStack(gamma.name);
      stack.updates = [update(1, undefined), update(2, "not json")];
      const records = await engineOver({ [gamma.name]: stack }).history(gamma);
      expect(records.map((record) => record.config)).to.deep.equal([undefined, undefined]);
    });
  });

  describe("outputs, refresh and cancel", () => {
    it("unwraps the stack's outputs into StackOutputs, and up returns them too", async () => {
      const stack = new FakeStack(gamma.name);
      stack.upOutputs = stack.storedOutputs = {
        releaseId: { value: "0123456789ab", secret: false },
        alarmNames: { value: ["checkout-5xx"], secret: false },
      };
      const engine = engineOver({ [gamma.name]: stack });
      const up = await engine.up(gamma, sampleConfig(), { policyConfig });
      expect(up.outputs).to.deep.equal({ releaseId: "0123456789ab", alarmNames: ["checkout-5xx"] });
      expect(await engine.outputs(gamma)).to.deep.equal(up.outputs);
    });

    it("reports the resources a refresh preview finds changed, with their properties", async () => {
      const stack = new FakeStack(gamma.name);
      const urn = "urn:pulumi:gamma-us-east-1::storefront::aws:cloudwatch/metricAlarm:MetricAlarm::checkout-5xx";
      const metadata = { urn, type: "aws:cloudwatch/metricAlarm:MetricAlarm", provider: "" };
      stack.previewEvents = [
        { resourcePreEvent: { metadata: { ...metadata, op: "update", diffs: ["threshold"] } } },
        { resourcePreEvent: { metadata: { ...metadata, op: "same", urn: `${urn}-2` } } },
        { resOutputsEvent: { metadata: { ...metadata, op: "refresh", detailedDiff: { evaluationPeriods: { diffKind: "update" as never, inputDiff: false } } } } },
      ];
      const drift = await engineOver({ [gamma.name]: stack }).refresh(gamma, {});
      expect(drift).to.deep.equal([{ urn, type: metadata.type, properties: ["evaluationPeriods", "threshold"] }]);
    });
  });

  describe("reading a stack", () => {
    it("reads a stack that exists but has no outputs (its first update failed) as no outputs", async () => {
      const stack = new FakeStack(gamma.name);
      stack.storedOutputs = {};
      expect(await engineOver({ [gamma.name]: stack }).outputs(gamma)).to.equal(undefined);
    });

    const unreadable = () =>
      new PulumiEngine(
        async () => ({
          select: async () => {
            throw commandError("error: could not read the stack's checkpoint");
          },
          createOrSelect: async () => {
            throw new Error("a read must not create the stack");
          },
        }),
        { policyPack: "/repo/policies" },
      );

    it("names the operation and the stack when the stack cannot be read, rather than taking it for never released", async () => {
      const engine = unreadable();
      expect((await failureOf(engine.outputs(gamma))).message).to.equal("outputs of stack gamma-us-east-1 failed: error: could not read the stack's checkpoint");
      expect((await failureOf(engine.history(gamma))).message).to.equal("history of stack gamma-us-east-1 failed: error: could not read the stack's checkpoint");
      expect((await failureOf(engine.refresh(gamma, {}))).message).to.equal(
        "refresh of stack gamma-us-east-1 failed: error: could not read the stack's checkpoint",
      );
    });

    it("says which read failed when the stack is there but its outputs or history cannot be read", async () => {
      const stack = new FakeStack(gamma.name);
      stack.outputs = async () => {
        throw commandError("error: could not read the stack's outputs");
      };
      stack.history = async () => {
        throw commandError("error: could not read the stack's history");
      };
      const engine = engineOver({ [gamma.name]: stack });
      const outputs = await failureOf(engine.outputs(gamma));
      expect(outputs).to.be.instanceOf(DeploymentError);
      expect(outputs.message).to.equal("reading outputs of stack gamma-us-east-1 failed: error: could not read the stack's outputs");
      expect((await failureOf(engine.history(gamma))).message).to.equal(
        "reading history of stack gamma-us-east-1 failed: error: could not read the stack's history",
      );
    });
  });

  describe("release records", () => {
    it("reads the StackConfig of an update even where the stack's settings marked it secret", async () => {
      const stack = new FakeStack(gamma.name);
      const config = sampleConfig();
      stack.updates = [{ ...update(1, undefined), config: { "dcp:stack": { value: JSON.stringify(config), secret: true } } }];
      const [record] = await engineOver({ [gamma.name]: stack }).history(gamma);
      expect(record?.config).to.deep.equal(config);
    });

    it("reads a StackConfig that was set as a structured value", async () => {
      const stack = new FakeStack(gamma.name);
      const config = sampleConfig();
      const structured = { value: JSON.stringify(config), objectValue: config, secret: false };
      stack.updates = [{ ...update(1, undefined), config: { "dcp:stack": structured } }];
      const [record] = await engineOver({ [gamma.name]: stack }).history(gamma);
      expect(record?.config).to.deep.equal(config);
    });

    it("lists the updates newest first whatever order the backend gives them in", async () => {
      const stack = new FakeStack(gamma.name);
      stack.updates = [update(2, undefined), update(3, undefined), update(1, undefined)];
      const records = await engineOver({ [gamma.name]: stack }).history(gamma);
      expect(records.map((record) => record.version)).to.deep.equal([3, 2, 1]);
    });

    it("gives an update that never started as failed, and one in progress without an end", async () => {
      const stack = new FakeStack(gamma.name);
      const inProgress: UpdateSummary = { ...update(2, undefined), result: "in-progress" };
      delete (inProgress as Partial<UpdateSummary>).endTime;
      stack.updates = [{ ...update(1, undefined), result: "not-started" }, inProgress];
      const records = await engineOver({ [gamma.name]: stack }).history(gamma);
      expect(records.map((record) => [record.version, record.result, record.endedAt?.toISOString()])).to.deep.equal([
        [2, "in-progress", undefined],
        [1, "failed", "2026-11-01T12:01:30.000Z"],
      ]);
      expect(records[0]).not.to.have.property("endedAt");
    });

    it("records an update someone made by hand as it was, with no StackConfig and no environment when the CLI printed none", async () => {
      const stack = new FakeStack(gamma.name);
      const byHand: UpdateSummary = { ...update(1, undefined), kind: "refresh", environment: null as unknown as UpdateSummary["environment"] };
      stack.updates = [byHand];
      const records = await engineOver({ [gamma.name]: stack }).history(gamma);
      expect(records).to.deep.equal([
        {
          version: 1,
          kind: "refresh",
          result: "succeeded",
          startedAt: new Date("2026-11-01T12:01:00.000Z"),
          endedAt: new Date("2026-11-01T12:01:30.000Z"),
          environment: {},
        },
      ]);
    });

    it("has no StackConfig where dcp:stack holds JSON that is not an object", async () => {
      const stack = new FakeStack(gamma.name);
      stack.updates = [update(1, "null"), update(2, "42"), update(3, '"a string"')];
      const records = await engineOver({ [gamma.name]: stack }).history(gamma);
      for (const record of records) expect(record, `update ${record.version}`).not.to.have.property("config");
    });
  });

  describe("refresh preview", () => {
    it("runs without colour, with the signal it was given", async () => {
      const stack = new FakeStack(gamma.name);
      const controller = new AbortController();
      await engineOver({ [gamma.name]: stack }).refresh(gamma, { signal: controller.signal });
      expect(stack.lastRefreshOptions).to.deep.include({ color: "never", signal: controller.signal });
    });

    it("is a DeploymentError naming the refresh preview and the engine's error when it fails", async () => {
      const stack = new FakeStack(gamma.name);
      stack.previewEvents = [{ diagnosticEvent: { message: "reading alarm checkout-5xx: AccessDenied\n", color: "never", severity: "error" } }];
      stack.refreshError = commandError("error: refresh failed");
      const failure = await failureOf(engineOver({ [gamma.name]: stack }).refresh(gamma, {}));
      expect(failure).to.be.instanceOf(DeploymentError);
      expect(failure.message).to.equal("refresh preview of stack gamma-us-east-1 failed: reading alarm checkout-5xx: AccessDenied");
    });

    it("is interrupted when its signal aborts", async () => {
      const stack = new FakeStack(gamma.name);
      stack.refreshError = commandError("error: refresh canceled");
      const controller = new AbortController();
      controller.abort();
      const failure = await failureOf(engineOver({ [gamma.name]: stack }).refresh(gamma, { signal: controller.signal }));
      expect(failure).to.be.instanceOf(InterruptedError);
      expect(failure.message).to.equal("refresh preview of stack gamma-us-east-1 was interrupted");
    });
  });

  describe("stack selection", () => {
    it("never selects two stacks at once, while the updates themselves run in parallel", async () => {
      const regions = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1"];
      let selecting = 0;
      let overlapped = false;
      let updating = 0;
      let allUpdating!: () => void;
      const everyUpdateStarted = new Promise<void>((resolve) => (allUpdating = resolve));
      const select = async (name: string) => {
        selecting += 1;
        overlapped ||= selecting > 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
        selecting -= 1;
        const stack = new FakeStack(name);
        const up = stack.up.bind(stack);
        stack.up = async (options) => {
          updating += 1;
          if (updating === regions.length) allUpdating();
          // Only resolves if every update is running at the same time.
          await Promise.race([everyUpdateStarted, new Promise((_, reject) => setTimeout(() => reject(new Error("updates ran one by one")), 1000))]);
          return up(options);
        };
        return stack;
      };
      const engine = new PulumiEngine(async () => ({ select, createOrSelect: select }), { policyPack: "/repo/policies" });
      await Promise.all(
        regions.map((region) => engine.up({ stage: "prod", region, name: `prod-${region}` }, sampleConfig(), { policyConfig })),
      );
      expect(overlapped).to.equal(false);
    });

    it("selects each stack once, and runs a program revision's stacks from that revision's workspace", async () => {
      const selections: string[] = [];
      const engine = new PulumiEngine(
        async (revision) => {
          const selectOnce = async (name: string) => {
            selections.push(`${revision ?? "working copy"}:${name}`);
            return new FakeStack(name);
          };
          return { select: selectOnce, createOrSelect: selectOnce };
        },
        { policyPack: "/repo/policies" },
      );
      await engine.preview(gamma, sampleConfig(), { policyConfig });
      await engine.up(gamma, sampleConfig(), { policyConfig });
      await engine.up(gamma, sampleConfig(), { policyConfig, programRevision: "abc123" });
      await engine.up(gamma, sampleConfig(), { policyConfig, programRevision: "def456" });
      await engine.up(gamma, sampleConfig(), { policyConfig, programRevision: "abc123" });
      expect(selections).to.deep.equal(["working copy:gamma-us-east-1", "abc123:gamma-us-east-1", "def456:gamma-us-east-1"]);
    });

    it("selects a stack once when two operations ask for it at the same time", async () => {
      const selections: string[] = [];
      const engine = engineOver({ [gamma.name]: new FakeStack(gamma.name) }, undefined, selections);
      await Promise.all([engine.outputs(gamma), engine.history(gamma)]);
      expect(selections).to.deep.equal(["select gamma-us-east-1"]);
    });

    it("answers for a stack already selected without waiting behind another stack's selection", async () => {
      const prod: StackRef = { stage: "prod", region: "us-east-1", name: "prod-us-east-1" };
      let finishSelecting!: () => void;
      const slow = new Promise<void>((resolve) => (finishSelecting = resolve));
      const select = async (name: string) => {
        if (name === prod.name) await slow;
        return new FakeStack(name);
      };
      const engine = new PulumiEngine(async () => ({ select, createOrSelect: select }), { policyPack: "/repo/policies" });
      await engine.history(gamma);
      const prodHistory = engine.history(prod);
      const answer = await Promise.race([
        engine.history(gamma).then(() => "answered"),
        new Promise((resolve) => setImmediate(() => resolve("waiting"))),
      ]);
      finishSelecting();
      await prodHistory;
      expect(answer).to.equal("answered");
    });

    it("opens the program of a revision ahead of time, through the revision's own workspace", async () => {
      const opened: Array<string | undefined> = [];
      const engine = new PulumiEngine(
        async (revision) => {
          opened.push(revision);
          if (revision === "bad") throw new DeploymentError("the program at git revision bad did not build");
          return { select: async (name) => new FakeStack(name), createOrSelect: async (name) => new FakeStack(name) };
        },
        { policyPack: "/repo/policies" },
      );
      await engine.prepareProgram("abc123");
      expect(opened).to.deep.equal(["abc123"]);
      expect((await failureOf(engine.prepareProgram("bad"))).message).to.equal("the program at git revision bad did not build");
    });
  });
});
