import { expect } from "chai";
import type { Envs } from "../../cli/config/model";
import { releaseIdOf } from "../../cli/config/release-id";
import { positionOf } from "../../cli/pipeline/history";
import { markBaked, servedContent, stampRelease } from "../../cli/pipeline/metadata";
import type { ReleaseRecord } from "../../cli/pipeline/ports";
import type { StackConfig } from "../../infra/stack-config";
import { outputsOf } from "./fakes/engine";
import { sampleEnvs, World } from "./fakes/world";

describe("release metadata", () => {
  let envs: Envs;
  let config: StackConfig;

  before(async () => {
    envs = await sampleEnvs();
    config = new World(envs).stacks("gamma")[0]!.config;
  });

  const releasedAt = "2026-03-02T09:00:00.000Z";

  describe("stamping a release", () => {
    it("records the release id, its time and everything the context knows, with the reason and what AppConfig serves", () => {
      const stamped = stampRelease(
        config,
        { releasedBy: "grace@example.com", gitCommit: "c0ffee1", gitDirty: false, ci: "github-actions" },
        releasedAt,
        { "feature-flags": "0123" },
        "INC-7",
      );
      expect(stamped.metadata).to.deep.equal({
        releaseId: config.metadata?.releaseId,
        releasedAt,
        releasedBy: "grace@example.com",
        gitCommit: "c0ffee1",
        gitDirty: false,
        ci: "github-actions",
        reason: "INC-7",
        deployedContent: { "feature-flags": "0123" },
      });
      const { metadata: _stamped, ...content } = stamped;
      const { metadata: _resolved, ...resolved } = config;
      expect(content).to.deep.equal(resolved);
    });

    it("records nothing the context does not know", () => {
      expect(stampRelease(config, {}, releasedAt, undefined).metadata).to.deep.equal({ releaseId: config.metadata?.releaseId, releasedAt });
    });

    it("keeps the release id a config was recorded with, and computes it for a config that has none", () => {
      expect(stampRelease({ ...config, metadata: { releaseId: "0123456789ab" } }, {}, releasedAt, undefined).metadata?.releaseId).to.equal("0123456789ab");
      const { metadata: _none, ...bare } = config;
      expect(stampRelease(bare, {}, releasedAt, undefined).metadata?.releaseId).to.equal(releaseIdOf(config));
    });
  });

  describe("recording a healthy bake", () => {
    it("keeps the release's metadata, adding when it baked and that AppConfig serves all of it", () => {
      const stamped = stampRelease(config, { releasedBy: "grace@example.com" }, releasedAt, {});
      const outputs = outputsOf(stamped, 3);
      const baked = markBaked(stamped, outputs, "2026-03-02T10:00:00.000Z");
      expect(baked.metadata).to.deep.equal({
        releaseId: config.metadata?.releaseId,
        releasedAt,
        releasedBy: "grace@example.com",
        deployedContent: outputs.contentHashes,
        bakedAt: "2026-03-02T10:00:00.000Z",
      });
    });

    it("names the release of a config recorded without metadata", () => {
      const { metadata: _none, ...bare } = config;
      const baked = markBaked(bare, outputsOf(config, 3), "2026-03-02T10:00:00.000Z");
      expect(baked.metadata?.releaseId).to.equal(releaseIdOf(config));
    });
  });

  describe("what AppConfig serves on a stack, as its ledger tells", () => {
    const record = (version: number, applied: StackConfig, result: ReleaseRecord["result"] = "succeeded"): ReleaseRecord => ({
      version,
      kind: "update",
      result,
      startedAt: new Date(Date.UTC(2026, 2, version)),
      environment: {},
      config: applied,
    });
    const at = (day: string, applied: StackConfig): StackConfig => ({ ...applied, metadata: { releaseId: releaseIdOf(applied), releasedAt: day } });
    const withCheckout = (applied: StackConfig, cartTtlMinutes: number): StackConfig => {
      const checkout = applied.components["checkout"]!;
      return { ...applied, components: { ...applied.components, checkout: { ...checkout, config: { ...checkout.config, cartTtlMinutes } } } };
    };
    const withApplePay = (applied: StackConfig, enabled: boolean): StackConfig => {
      const applePay = applied.flags["apple-pay"]!;
      return { ...applied, flags: { ...applied.flags, "apple-pay": { ...applePay, value: { ...applePay.value, enabled } } } };
    };
    /** What the stack serves after `applied` succeeded and then `attempt` failed. */
    const servedAfter = (applied: StackConfig, attempt: StackConfig) => {
      const outputs = outputsOf(applied, 1);
      return { served: servedContent(positionOf([record(2, attempt, "failed"), record(1, applied)]), outputs), all: outputs.contentHashes };
    };
    const profiles = (served: Record<string, string> | undefined) => Object.keys(served ?? {});

    it("is nothing known for a stack never released", () => {
      expect(servedContent(positionOf([]), undefined)).to.equal(undefined);
    });

    it("is the last successful update's content when nothing was attempted since", () => {
      const applied = at(releasedAt, config);
      const outputs = outputsOf(applied, 1);
      expect(servedContent(positionOf([record(1, applied)]), outputs)).to.deep.equal(outputs.contentHashes);
    });

    it("leaves out a component whose config a failed update changed, and keeps the others", () => {
      const applied = at(releasedAt, config);
      const { served, all } = servedAfter(applied, withCheckout(applied, 5));
      expect(profiles(served)).to.deep.equal(profiles(all).filter((p) => p !== "checkout"));
    });

    it("leaves out the flags when a failed update changed a flag's value", () => {
      const applied = at(releasedAt, config);
      const { served, all } = servedAfter(applied, withApplePay(applied, !applied.flags["apple-pay"]!.value.enabled));
      expect(profiles(served)).to.deep.equal(profiles(all).filter((p) => p !== "feature-flags"));
    });

    it("leaves out the flags when a failed update with the same values was released on another day, which renders expiries anew", () => {
      const applied = at(releasedAt, config);
      const { served, all } = servedAfter(applied, at("2026-03-03T09:00:00.000Z", config));
      expect(profiles(served)).to.deep.equal(profiles(all).filter((p) => p !== "feature-flags"));
    });

    it("keeps everything when a failed update of the same day renders the same content", () => {
      const applied = at(releasedAt, config);
      const { served, all } = servedAfter(applied, at("2026-03-02T17:30:00.000Z", config));
      expect(served).to.deep.equal(all);
    });

    it("is none of the content when nothing ever succeeded on the stack but its outputs survive", () => {
      const attempt = at(releasedAt, config);
      expect(servedContent(positionOf([record(1, attempt, "failed")]), outputsOf(attempt, 1))).to.deep.equal({});
    });
  });
});
