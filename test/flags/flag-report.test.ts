import { expect } from "chai";
import { loadEnvs } from "../../cli/config/load";
import type { Envs, ResolvedStack, StackConfig } from "../../cli/config/model";
import { resolveStacks } from "../../cli/config/resolve";
import { flagReport } from "../../cli/flags/report";
import type { FlagMatrix, FlagRow } from "../../cli/flags/matrix";
import type { Engine, ReleaseRecord, StackRef } from "../../cli/pipeline/ports";
import { EnvsCopy, SAMPLE_ENVS } from "../support/sample-envs";

async function envsAt(dir = SAMPLE_ENVS): Promise<Envs> {
  const { envs, diagnostics } = await loadEnvs(dir, { today: "2026-11-24" });
  if (!envs) throw new Error(JSON.stringify(diagnostics));
  return envs;
}

/** A backend whose stacks hold the given update histories (newest first); any other stack was never released. */
function backend(histories: Record<string, ReleaseRecord[]>): Engine {
  return { history: async (stack: StackRef) => histories[stack.name] ?? [] } as unknown as Engine;
}

let version = 0;
function update(config: StackConfig, at: string, result: ReleaseRecord["result"] = "succeeded"): ReleaseRecord {
  return { version: ++version, kind: "update", result, startedAt: new Date(at), endedAt: new Date(at), config, environment: {} };
}

/** The stack's config as envs/ resolves it, with some flags' values changed. */
function withFlags(stack: ResolvedStack, values: Record<string, StackConfig["flags"][string]["value"]>): StackConfig {
  const flags = { ...stack.config.flags };
  for (const [key, value] of Object.entries(values)) flags[key] = { ...flags[key]!, value };
  return { ...stack.config, flags };
}

/** Every stack released from envs/ as it is now, on `at`. */
function releasedEverywhere(envs: Envs, at: string): Record<string, ReleaseRecord[]> {
  return Object.fromEntries(resolveStacks(envs).map((s) => [s.name, [update(s.config, at)]]));
}

async function matrix(envs: Envs, histories: Record<string, ReleaseRecord[]>, options: { today?: string; staleDays?: number; deployed?: boolean } = {}): Promise<FlagMatrix> {
  const now = Date.parse(`${options.today ?? "2026-11-25"}T08:00:00Z`);
  return flagReport(envs, { engine: backend(histories), clock: { now: () => now } }, { staleDays: options.staleDays ?? 30, deployed: options.deployed ?? false });
}

const row = (m: FlagMatrix, key: string): FlagRow => {
  const found = m.flags.find((f) => f.key === key);
  if (!found) throw new Error(`no row for ${key}`);
  return found;
};
const flagged = (m: FlagMatrix, mark: string) => m.flags.filter((f) => f.marks.includes(mark as never)).map((f) => f.key);

describe("the flag matrix", () => {
  let envs: Envs;
  before(async () => (envs = await envsAt()));

  it("shows every catalogued flag against every stage, one cell per stage whose regions agree, with owner and expiry", async () => {
    const m = await matrix(envs, {});
    expect(m.stages).to.deep.equal(["beta", "gamma", "prod"]);
    expect(m.flags.map((f) => f.key)).to.deep.equal(Object.keys(envs.pipeline.flags ?? {}));
    const checkout = row(m, "one-page-checkout");
    expect(checkout.owner).to.equal("team-checkout");
    expect(checkout.cells.map((c) => [c.stage, c.regions.length, c.wanted])).to.deep.equal([
      ["beta", 1, { enabled: true, rolloutPercent: 100, layout: "expanded" }],
      ["gamma", 2, { enabled: true, rolloutPercent: 50, layout: "compact" }],
      ["prod", 6, { enabled: true, rolloutPercent: 10, layout: "compact" }],
    ]);
    expect(row(m, "holiday-banner-2026").expires).to.equal("2027-01-15");
  });

  it("marks a flag past its expiry date from the day after it, judged on the clock's today", async () => {
    expect(flagged(await matrix(envs, {}, { today: "2027-01-15" }), "expired")).to.deep.equal([]);
    expect(flagged(await matrix(envs, {}, { today: "2027-01-16" }), "expired")).to.deep.equal(["holiday-banner-2026"]);
  });

  it("marks a flag off on every stage as enabled nowhere, and one that no stage file sets as unset", async () => {
    expect(flagged(await matrix(envs, {}), "enabled-nowhere")).to.deep.equal(["legacy-cart-fallback"]);
    const copy = new EnvsCopy();
    try {
      for (const stage of ["beta", "gamma", "prod"]) copy.replace(`${stage}.yaml`, /^ {2}legacy-cart-fallback: .*\n/m, "");
      const m = await matrix(await envsAt(copy.dir), {});
      expect(flagged(m, "unset")).to.deep.equal(["legacy-cart-fallback"]);
      expect(row(m, "legacy-cart-fallback").setBy).to.deep.equal([]);
      expect(row(m, "apple-pay").setBy).to.deep.equal(["beta", "gamma", "prod"]);
    } finally {
      copy.remove();
    }
  });

  it("marks as removal candidates the flags on with one value on every stack of every stage for the stale days", async () => {
    const m = await matrix(envs, releasedEverywhere(envs, "2026-10-20T12:00:00Z"));
    expect(flagged(m, "removal-candidate")).to.deep.equal(["apple-pay", "holiday-banner-2026"]);
    expect(row(m, "apple-pay").unchangedSince).to.equal("2026-10-20T12:00:00.000Z");
    // 36 days of it is not enough when the team asks for 40.
    expect(flagged(await matrix(envs, releasedEverywhere(envs, "2026-10-20T12:00:00Z"), { staleDays: 40 }), "removal-candidate")).to.deep.equal([]);
  });

  it("counts the days from the last change on any stack, through later releases that left the flag alone", async () => {
    const histories = releasedEverywhere(envs, "2026-09-01T00:00:00Z");
    const canary = resolveStacks(envs).find((s) => s.name === "prod-us-east-1")!;
    histories["prod-us-east-1"] = [
      update(canary.config, "2026-11-20T00:00:00Z"),
      update(withFlags(canary, { "one-page-checkout": { enabled: true, rolloutPercent: 5, layout: "compact" } }), "2026-11-01T00:00:00Z"),
      update(withFlags(canary, { "holiday-banner-2026": { enabled: false } }), "2026-11-10T00:00:00Z"),
      update(canary.config, "2026-09-01T00:00:00Z"),
    ].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
    const m = await matrix(envs, histories);
    // apple-pay stood through all three updates; the banner was switched back on 5 days ago.
    expect(flagged(m, "removal-candidate")).to.deep.equal(["apple-pay"]);
    expect(row(m, "apple-pay").unchangedSince).to.equal("2026-09-01T00:00:00.000Z");
    expect(flagged(await matrix(envs, histories, { staleDays: 5 }), "removal-candidate")).to.deep.equal(["apple-pay", "holiday-banner-2026"]);
  });

  it("makes no removal candidate while a stack was never released, or its last update failed", async () => {
    const unreleased = releasedEverywhere(envs, "2026-09-01T00:00:00Z");
    delete unreleased["prod-ap-northeast-1"];
    expect(flagged(await matrix(envs, unreleased), "removal-candidate")).to.deep.equal([]);
    const failed = releasedEverywhere(envs, "2026-09-01T00:00:00Z");
    const stack = resolveStacks(envs).find((s) => s.name === "gamma-eu-west-1")!;
    failed["gamma-eu-west-1"]!.unshift(update(withFlags(stack, { "apple-pay": { enabled: false } }), "2026-11-24T00:00:00Z", "failed"));
    expect(flagged(await matrix(envs, failed), "removal-candidate")).to.deep.equal([]);
  });

  it("with deployed, shows what each stack runs beside what envs/ wants, splitting out the regions that differ", async () => {
    const histories = releasedEverywhere(envs, "2026-11-01T00:00:00Z");
    const west = resolveStacks(envs).find((s) => s.name === "prod-us-west-2")!;
    histories["prod-us-west-2"] = [update(withFlags(west, { "apple-pay": { enabled: false } }), "2026-11-02T00:00:00Z")];
    delete histories["beta-us-west-2"];
    const gammaWest = resolveStacks(envs).find((s) => s.name === "gamma-eu-west-1")!;
    histories["gamma-eu-west-1"]!.unshift(update(withFlags(gammaWest, { "apple-pay": { enabled: false } }), "2026-11-24T00:00:00Z", "failed"));
    const m = await matrix(envs, histories, { deployed: true });
    const prod = row(m, "apple-pay").cells.filter((c) => c.stage === "prod");
    expect(prod.map((c) => [c.regions, c.wanted, c.deployed])).to.deep.equal([
      [["us-east-1", "eu-west-1", "eu-central-1", "ap-southeast-2", "ap-northeast-1"], { enabled: true }, { enabled: true }],
      [["us-west-2"], { enabled: true }, { enabled: false }],
    ]);
    expect(row(m, "apple-pay").cells[0]).to.include({ stage: "beta", deployed: null });
    // A failed update after the last good one: that one is what the stack runs, perhaps not all of it.
    expect(row(m, "apple-pay").cells.filter((c) => c.stage === "gamma").map((c) => [c.regions, c.deployed, c.unfinished])).to.deep.equal([
      [["us-east-1"], { enabled: true }, undefined],
      [["eu-west-1"], { enabled: true }, true],
    ]);
    // Without it, prod is one cell: envs/ wants the same of every region.
    expect(row(await matrix(envs, histories), "apple-pay").cells.filter((c) => c.stage === "prod")).to.have.length(1);
  });
});
