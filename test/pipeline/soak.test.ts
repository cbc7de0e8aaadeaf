import { expect } from "chai";
import type { Envs, ResolvedStack } from "../../cli/config/model";
import { resolveStacks } from "../../cli/config/resolve";
import { ExitCode } from "../../cli/errors";
import { stackHistories } from "../../cli/pipeline/history";
import { stackRefOf } from "../../cli/pipeline/plan";
import type { Engine, ReleaseRecord, StackRef } from "../../cli/pipeline/ports";
import { release } from "../../cli/pipeline/release";
import { soakRefusal } from "../../cli/pipeline/soak";
import { status } from "../../cli/pipeline/status";
import { renderHistory, renderStatus } from "../../cli/ui/pipeline-views";
import { runDcp } from "../support/run-dcp";
import type { StackConfig } from "../../infra/stack-config";
import { sampleEnvsOf } from "../support/sample-envs";
import { failureOf, releaseOptions, World } from "./fakes/world";

const HOUR = 60 * 60_000;

/** prod (promotion.minSoakMinutes: 1440) takes a change only after a day on both gamma stacks. */
describe("the promotion soak guard", () => {
  let envs: Envs;
  let world: World;

  before(async () => {
    envs = await sampleEnvsOf();
  });

  beforeEach(() => {
    world = new World(envs);
    // Every stack runs last week's release, in which apple-pay was the other way round.
    world.seedPreviousRelease();
  });

  const releaseProd = (overrides = {}) => release(envs, releaseOptions({ stage: "prod", ...overrides }), world.ports());
  const prodUpdates = () => world.engine.updatesOf("up").filter((s) => s.startsWith("prod-"));

  it("the sample asks prod for a day's soak in gamma", () => {
    expect(envs.stages.find((s) => s.name === "prod")?.definition.promotion).to.deep.equal({ minSoakMinutes: 1440 });
  });

  it("refuses prod a flag that went live in gamma less than a day ago, naming the flag, the stacks, since when and what is left", async () => {
    await release(envs, releaseOptions({ to: "gamma" }), world.ports()); // gamma updated at 09:05 after beta's 5-minute bake
    await world.clock.sleep(HOUR);

    const error = await failureOf(releaseProd());

    expect(error.exitCode).to.equal(ExitCode.usage);
    expect(error.message).to.include("promotion.minSoakMinutes: 1440");
    expect(error.message).to.include(
      "flag apple-pay.enabled = true: gamma-us-east-1 only since 2026-03-02T09:05:00Z (90 min); gamma-eu-west-1 only since 2026-03-02T09:05:00Z (90 min); 22 h 30 min left",
    );
    expect(error.message).to.include("--skip-soak --reason");
    expect(prodUpdates()).to.deep.equal([]);
  });

  it("stops a release to prod in one run after gamma, whose values have soaked 0 minutes", async () => {
    const error = await failureOf(release(envs, releaseOptions(), world.ports()));

    expect(error.message).to.include("flag apple-pay.enabled = true").and.include("Earlier stages keep the release: beta, gamma");
    expect(prodUpdates()).to.deep.equal([]);
  });

  it("releases prod once the changed values have run on every gamma stack for the soak time", async () => {
    await release(envs, releaseOptions({ to: "gamma" }), world.ports());
    await world.clock.sleep(24 * HOUR);

    await releaseProd();

    for (const stack of world.stacks("prod")) expect(world.engine.releaseOf(stack.name)).to.equal(stack.releaseId);
  });

  it("has not soaked a value that runs on only one of gamma's two stacks, however long ago", async () => {
    await release(envs, releaseOptions({ to: "gamma", region: "us-east-1" }), world.ports());
    await world.clock.sleep(48 * HOUR);

    const error = await failureOf(releaseProd());

    expect(error.message).to.include("flag apple-pay.enabled = true: gamma-eu-west-1 runs false; 24 h left");
    expect(error.message).to.not.include("gamma-us-east-1");
  });

  it("does not count a gamma update that failed: that stack still runs the old value, however long ago it tried", async () => {
    for (const stack of world.stacks("gamma")) {
      if (stack.name === "gamma-eu-west-1") world.engine.failUp(stack.name, "Rate exceeded (Service: AppConfig)");
      await world.engine.up(stackRefOf(stack), stack.config, { policyConfig: {} }).catch(() => undefined);
    }
    await world.clock.sleep(48 * HOUR);

    const error = await failureOf(releaseProd());

    expect(error.message).to.include("flag apple-pay.enabled = true: gamma-eu-west-1 runs false; 24 h left");
    expect(prodUpdates()).to.deep.equal([]);
  });

  it("refuses a soak asked of the first stage, which has no earlier stage to soak in, as a usage error naming the stage", async () => {
    const soakInBeta = structuredClone(envs);
    soakInBeta.stages[0]!.definition.promotion = { minSoakMinutes: 60 };

    const error = await failureOf(release(soakInBeta, releaseOptions({ to: "beta" }), world.ports()));

    expect(error.exitCode).to.equal(ExitCode.usage);
    expect(error.message).to.include("beta sets promotion.minSoakMinutes, but no stage comes before it");
    expect(world.engine.updatesOf("up")).to.deep.equal([]);
  });

  it("checks only the values prod would change: prod's own log levels, which gamma never ran, pass unchanged", async () => {
    for (const stack of world.stacks("gamma")) world.engine.seed(stackRefOf(stack), stack.config);

    await releaseProd();

    for (const stack of world.stacks("prod")) expect(world.engine.releaseOf(stack.name)).to.equal(stack.releaseId);
  });

  it("refuses a changed value gamma does not run at all: a prod-only value has proved nothing", async () => {
    for (const stack of world.stacks("gamma")) world.engine.seed(stackRefOf(stack), stack.config);
    const warnInProd = withProdConfig(envs, "checkout", { logLevel: "WARN" });

    const error = await failureOf(release(warnInProd, releaseOptions({ stage: "prod" }), world.ports()));

    expect(error.message).to.include('config checkout.logLevel = "WARN": gamma-us-east-1 runs "INFO"; gamma-eu-west-1 runs "INFO"; 24 h left');
    expect(error.message).to.not.include("apple-pay");
  });

  it("counts from the first of the consecutive gamma updates that kept the value", async () => {
    await release(envs, releaseOptions({ to: "gamma" }), world.ports());
    await world.clock.sleep(20 * HOUR);
    for (const stack of world.stacks("gamma")) {
      const config = structuredClone(stack.config);
      (config.components["catalog"] as { config: Record<string, unknown> }).config["pageSize"] = 96;
      await world.engine.up(stackRefOf(stack), config, { policyConfig: {} });
    }
    await world.clock.sleep(4 * HOUR);

    await releaseProd();

    for (const stack of world.stacks("prod")) expect(world.engine.releaseOf(stack.name)).to.equal(stack.releaseId);
  });

  describe("updates that did not succeed", () => {
    /** Every gamma stack tried the release two days ago; `tried` says how that went. */
    async function gammaTried(tried: (stack: string) => { signal?: AbortSignal }): Promise<void> {
      for (const stack of world.stacks("gamma")) {
        await world.engine.up(stackRefOf(stack), stack.config, { policyConfig: {}, ...tried(stack.name) }).catch(() => undefined);
      }
      await world.clock.sleep(48 * HOUR);
    }

    it("a failed gamma update does not count as live: its values have not soaked, however long ago it ran", async () => {
      world.engine.failUp("gamma-eu-west-1", "AppConfig: the hosted configuration version exceeds 2 MB");
      await gammaTried(() => ({}));

      const error = await failureOf(releaseProd());

      expect(error.message).to.include("flag apple-pay.enabled = true: gamma-eu-west-1 runs false; 24 h left");
      expect(prodUpdates()).to.deep.equal([]);
    });

    it("a cancelled gamma update does not count as live either", async () => {
      await gammaTried((stack) => (stack === "gamma-us-east-1" ? { signal: AbortSignal.abort() } : {}));

      const error = await failureOf(releaseProd());

      expect(error.message).to.include("flag apple-pay.enabled = true: gamma-us-east-1 runs false; 24 h left");
      expect(prodUpdates()).to.deep.equal([]);
    });
  });

  describe("--skip-soak --reason", () => {
    const reason = "INC-4711: apple-pay must be back on in prod now";

    beforeEach(async () => {
      await release(envs, releaseOptions({ to: "gamma" }), world.ports());
      await releaseProd({ skipSoak: { reason } });
    });

    it("releases prod before the soak and records the reason in each stack's release metadata", () => {
      for (const stack of world.stacks("prod")) {
        expect(world.engine.releaseOf(stack.name)).to.equal(stack.releaseId);
        expect(world.engine.configOf(stack.name)?.metadata?.reason).to.equal(reason);
      }
    });

    it("shows the reason in history and status", async () => {
      const prod = world.stacks("prod").map(stackRefOf);
      const histories = await stackHistories(prod, world.engine);
      const rows = await status(envs, { stage: "prod" }, world.ports());

      expect(histories.map((h) => h.entries[0]?.reason)).to.deep.equal(prod.map(() => reason));
      expect(rows.map((r) => r.lastUpdate?.reason)).to.deep.equal(prod.map(() => reason));
      expect(renderHistory(histories, 5)).to.include(reason);
      expect(renderStatus(rows)).to.include(reason);
    });
  });

  describe("on the command line", () => {
    it("--skip-soak without --reason is a usage error, before anything runs", () => {
      const run = runDcp(["release", "--to", "prod", "--skip-soak"]);
      expect(run.status).to.equal(ExitCode.usage);
      expect(run.stderr).to.include("--skip-soak and --reason go together");
    });

    it("--reason without --skip-soak is a usage error too", () => {
      const run = runDcp(["release", "--to", "prod", "--reason", "because"]);
      expect(run.status).to.equal(ExitCode.usage);
      expect(run.stderr).to.include("--skip-soak and --reason go together");
    });

    it("an empty --reason is a usage error", () => {
      const run = runDcp(["release", "--to", "prod", "--skip-soak", "--reason", " "]);
      expect(run.status).to.equal(ExitCode.usage);
      expect(run.stderr).to.include("--reason must say why");
    });
  });
});

function withProdConfig(envs: Envs, component: string, values: Record<string, unknown>): Envs {
  return {
    ...envs,
    stages: envs.stages.map((stage) => {
      if (stage.name !== "prod") return stage;
      const config = { ...stage.definition.config, [component]: { ...(stage.definition.config?.[component] as object), ...values } };
      return { ...stage, definition: { ...stage.definition, config } };
    }),
  };
}

/** The guard's reading of the ledger, against histories written out by hand. */
describe("the soak guard's reading of gamma's ledger", () => {
  let envs: Envs;
  let prod: ResolvedStack[];
  let gamma: ResolvedStack[];

  before(async () => {
    envs = await sampleEnvsOf();
    prod = resolveStacks(envs, { stage: "prod" });
    gamma = resolveStacks(envs, { stage: "gamma" });
  });

  const NOW = Date.parse("2026-03-10T12:00:00Z");
  const hoursAgo = (hours: number) => new Date(NOW - hours * HOUR);
  const stamp = (date: Date) => `${date.toISOString().slice(0, 19)}Z`;

  /** `config` with the checkout component's `key` set to `value` (removed when undefined). */
  function withCheckout(config: StackConfig, key: string, value: unknown): StackConfig {
    const changed = structuredClone(config);
    const checkout = changed.components["checkout"]!.config as Record<string, unknown>;
    if (value === undefined) delete checkout[key];
    else checkout[key] = value;
    return changed;
  }

  function applied(config: StackConfig | undefined, startedAt: Date, endedAt = startedAt, kind = "update"): ReleaseRecord {
    return { version: 1, kind, result: "succeeded", startedAt, endedAt, environment: {}, ...(config !== undefined && { config }) };
  }

  /** Prod's stacks as envs/ would release them, after `change`, each with its current config (before the change) in its history. */
  function prodChanging(change: (config: StackConfig, index: number) => StackConfig): { stacks: ResolvedStack[]; histories: Record<string, ReleaseRecord[]> } {
    const histories: Record<string, ReleaseRecord[]> = {};
    const stacks = prod.map((stack, i) => {
      histories[stack.name] = [applied(stack.config, hoursAgo(24 * 7))];
      return { ...stack, config: change(stack.config, i) };
    });
    return { stacks, histories };
  }

  async function refusal(stacks: ResolvedStack[], histories: Record<string, ReleaseRecord[]>): Promise<{ message: string | undefined; read: string[] }> {
    const read: string[] = [];
    const engine = {
      history: async (stack: StackRef) => {
        read.push(stack.name);
        return histories[stack.name] ?? [];
      },
    } as unknown as Engine;
    const clock = { now: () => NOW, sleep: async () => undefined };
    return { message: await soakRefusal(envs, "prod", stacks, { engine, clock }), read };
  }

  const gammaRuns = (ttl: number) => (stack: ResolvedStack) => withCheckout(stack.config, "cartTtlMinutes", ttl);
  const [east, west] = ["gamma-us-east-1", "gamma-eu-west-1"];

  it("lets prod take a value that has run on every gamma stack for exactly the soak time", async () => {
    const { stacks, histories } = prodChanging((config) => withCheckout(config, "cartTtlMinutes", 45));
    for (const stack of gamma) histories[stack.name] = [applied(gammaRuns(45)(stack), hoursAgo(24))];
    expect((await refusal(stacks, histories)).message).to.equal(undefined);
  });

  it("says what has not soaked where, since when, and how long is left: the longest wait of any stack", async () => {
    const { stacks, histories } = prodChanging((config) => withCheckout(config, "cartTtlMinutes", 45));
    histories[east] = [applied(gammaRuns(45)(gamma[0]!), hoursAgo(20))];
    histories[west] = [applied(gammaRuns(45)(gamma[1]!), hoursAgo(10))];

    const { message } = await refusal(stacks, histories);

    expect(message?.split("\n")).to.deep.equal([
      "prod takes a change only after it ran on every gamma stack for 24 h (promotion.minSoakMinutes: 1440); this value has not soaked:",
      `  config checkout.cartTtlMinutes = 45: ${east} only since ${stamp(hoursAgo(20))} (20 h); ${west} only since ${stamp(hoursAgo(10))} (10 h); 14 h left`,
      'Nothing was deployed to prod. Release it later, or override with --skip-soak --reason "…" (the reason is recorded in the release).',
    ]);
  });

  it("counts a value live from the end of the update that brought it", async () => {
    const { stacks, histories } = prodChanging((config) => withCheckout(config, "cartTtlMinutes", 45));
    for (const stack of gamma) histories[stack.name] = [applied(gammaRuns(45)(stack), hoursAgo(30), hoursAgo(22))];

    const { message } = await refusal(stacks, histories);

    expect(message).to.include(`${east} only since ${stamp(hoursAgo(22))} (22 h); ${west} only since ${stamp(hoursAgo(22))} (22 h); 2 h left`);
  });

  it("lists each value apart, the same setting changed to different values on different stacks included", async () => {
    const { stacks, histories } = prodChanging((config, i) => withCheckout(config, "cartTtlMinutes", i === 0 ? 45 : 50));
    for (const stack of gamma) histories[stack.name] = [applied(gammaRuns(45)(stack), hoursAgo(1))];

    const { message } = await refusal(stacks, histories);

    const lines = message?.split("\n") ?? [];
    expect(lines[0]).to.include("; 2 values have not soaked:");
    expect(lines.slice(1, 3)).to.deep.equal([
      `  config checkout.cartTtlMinutes = 45: ${east} only since ${stamp(hoursAgo(1))} (60 min); ${west} only since ${stamp(hoursAgo(1))} (60 min); 23 h left`,
      `  config checkout.cartTtlMinutes = 50: ${east} runs 45; ${west} runs 45; 24 h left`,
    ]);
  });

  it("says when a gamma stack was never released, or does not set the value at all", async () => {
    const { stacks, histories } = prodChanging((config) => withCheckout(config, "retryBudget", 3));
    histories[west] = [applied(gamma[1]!.config, hoursAgo(48))];

    const { message } = await refusal(stacks, histories);

    expect(message?.split("\n")[1]).to.equal(`  config checkout.retryBudget = 3: ${east} has never been released; ${west} does not set it; 24 h left`);
  });

  it("counts a value prod removes as a change that must soak too", async () => {
    const { stacks, histories } = prodChanging((config) => withCheckout(config, "cartTtlMinutes", undefined));
    for (const stack of gamma) histories[stack.name] = [applied(stack.config, hoursAgo(48))];

    const { message } = await refusal(stacks, histories);

    expect(message?.split("\n")[1]).to.equal(`  config checkout.cartTtlMinutes = (removed): ${east} runs 120; ${west} runs 120; 24 h left`);
  });

  it("takes an empty object or null for a value of its own", async () => {
    const { stacks, histories } = prodChanging((config) => withCheckout(withCheckout(config, "limits", {}), "proxy", null));
    for (const stack of gamma) histories[stack.name] = [applied(stack.config, hoursAgo(48))];

    const { message } = await refusal(stacks, histories);

    expect(message?.split("\n").slice(1, 3)).to.deep.equal([
      `  config checkout.limits = {}: ${east} does not set it; ${west} does not set it; 24 h left`,
      `  config checkout.proxy = null: ${east} does not set it; ${west} does not set it; 24 h left`,
    ]);
  });

  it("counts from the last destroy: a stack destroyed and released again has run the value only since then", async () => {
    const { stacks, histories } = prodChanging((config) => withCheckout(config, "cartTtlMinutes", 45));
    for (const stack of gamma) {
      histories[stack.name] = [applied(gammaRuns(45)(stack), hoursAgo(2)), applied(undefined, hoursAgo(3), hoursAgo(3), "destroy"), applied(gammaRuns(45)(stack), hoursAgo(48))];
    }

    const { message } = await refusal(stacks, histories);

    expect(message).to.include(`${east} only since ${stamp(hoursAgo(2))} (2 h)`);
  });

  it("passes over an update that applied no StackConfig", async () => {
    const { stacks, histories } = prodChanging((config) => withCheckout(config, "cartTtlMinutes", 45));
    for (const stack of gamma) histories[stack.name] = [applied(undefined, hoursAgo(1)), applied(gammaRuns(45)(stack), hoursAgo(30))];
    expect((await refusal(stacks, histories)).message).to.equal(undefined);
  });

  it("reads nothing of gamma when the release changes no value in prod", async () => {
    const { stacks, histories } = prodChanging((config) => config);
    const { message, read } = await refusal(stacks, histories);
    expect(message).to.equal(undefined);
    expect(read).to.deep.equal(prod.map((s) => s.name));
  });
});
