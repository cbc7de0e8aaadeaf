import { expect } from "chai";
import { readFileSync } from "node:fs";
import { PulumiEngine, type StackFactory } from "../../cli/engine/pulumi-engine";
import { DeploymentError, InterruptedError, StackLockedError } from "../../cli/errors";
import type { StackRef } from "../../cli/pipeline/ports";
import { commandError, FakeStack, policyEvent, sampleConfig, update } from "./fake-stack";

const gamma: StackRef = { stage: "gamma", region: "us-east-1", name: "gamma-us-east-1" };
const policyConfig = { all: "advisory", "prod-no-debug-logging": { enforcementLevel: "mandatory" } };

function engineOver(stacks: Record<string, FakeStack>, existing = Object.keys(stacks)) {
  const factory: StackFactory = {
    async select(name) {
      const stack = stacks[name];
      if (!stack || !existing.includes(name)) throw commandError(`error: no stack named '${name}' found`);
      return stack;
    },
    async createOrSelect(name) {
      const stack = stacks[name];
      if (!stack) throw new Error(`unexpected stack ${name}`);
      if (!existing.includes(name)) existing.push(name);
      return stack;
    },
  };
  return new PulumiEngine(async () => factory, { policyPack: "/repo/policies" });
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
      expect(selections).to.deep.equal(["working copy:gamma-us-east-1", "abc123:gamma-us-east-1"]);
    });
  });
});
