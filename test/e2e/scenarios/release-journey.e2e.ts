/**
 * A workload's life on the real engine and local AWS, in the order a team lives it:
 * validate, a refused preview, the first release through every stage, a re-run, a
 * change, and the rollbacks of an incident. Each step builds on the one before.
 */
import { expect } from "chai";
import { AppConfigView } from "../harness/appconfig-view";
import { ScratchRepo, type DcpRun } from "../harness/scratch-repo";
import { world } from "../harness/world";

const STACKS = ["beta-us-west-2", "gamma-us-east-1", "gamma-eu-west-1", "prod-us-east-1", "prod-us-west-2", "prod-eu-west-1"];
const regionOf = (stack: string) => stack.split("-").slice(1).join("-");
const stageOf = (stack: string) => stack.split("-")[0]!;

function eventsOf(run: DcpRun, type: string): Array<Record<string, unknown>> {
  return run.events.filter((event) => event.type === type);
}

function explain(run: DcpRun): string {
  return `exit ${run.status}\nstdout:\n${run.stdout.slice(-4000)}\nstderr:\n${run.stderr.slice(-4000)}`;
}

describe("a workload released, changed and rolled back on the real engine", () => {
  let repo: ScratchRepo;
  let view: AppConfigView;
  let firstRelease: Record<string, string>;

  before(async () => {
    const w = await world();
    repo = ScratchRepo.create(w, "journey");
    view = new AppConfigView(w.aws.endpoint);
  });

  it("validates the workload offline", async () => {
    const run = await repo.dcp(["validate"]);
    expect(run.status, explain(run)).to.equal(0);
    expect(run.stdout).to.include("valid, 6 stacks checked");
  });

  it("refuses a preview that breaks a mandatory policy with exit 2, and creates nothing", async () => {
    // prod, the last stage, is strict: an alarm slower than its bake is refused there.
    repo.editStage("prod", (text) => text.replace(/bakeMinutes: 0/, "bakeMinutes: 1").replace(/evaluationPeriods: 1/, "evaluationPeriods: 3"));
    try {
      const run = await repo.dcp(["preview", "--stage", "prod", "--json"]);
      expect(run.status, explain(run)).to.equal(2);
      const violations = eventsOf(run, "policy-violation").map((event) => event["violation"] as { policy: string; level: string });
      expect(violations.filter((v) => v.policy === "alarm-evaluation-sane").map((v) => v.level)).to.include("mandatory");
      expect(await view.versionCounts("us-east-1", repo.workload, "prod")).to.deep.equal({});
      const stacks = await repo.dcp(["status", "prod", "--json"]);
      expect(stacks.stdout).not.to.match(/"releaseId":"[0-9a-f]{12}"/);
    } finally {
      repo.git("checkout", "--", "envs");
    }
  });

  it("releases beta, gamma and prod, wave by wave, with prod approved by flag", async () => {
    const run = await repo.dcp(["release", "--to", "prod", "--approve", "--json"]);
    expect(run.status, explain(run)).to.equal(0);
    const updated = eventsOf(run, "stack-updated").map((event) => event["stack"]);
    expect(updated).to.have.members(STACKS);
    const waves = eventsOf(run, "wave-started").map((event) => `${event["stage"]}/${event["wave"]}`);
    expect(waves).to.deep.equal(["beta/beta", "gamma/gamma", "prod/canary", "prod/americas-europe"]);
    firstRelease = Object.fromEntries(eventsOf(run, "stack-updated").map((event) => [event["stack"], event["releaseId"]]));
    for (const stack of STACKS) {
      const flags = (await repo.served(stageOf(stack), regionOf(stack), "feature-flags")) as Record<string, { enabled: boolean }>;
      expect(flags["apple-pay"], stack).to.deep.include({ enabled: true });
    }
    const prodFlags = (await repo.served("prod", "eu-west-1", "feature-flags")) as Record<string, { rolloutPercent?: number }>;
    expect(prodFlags["one-page-checkout"]).to.deep.include({ rolloutPercent: 10 });
  });

  it("shows the release in status and history", async () => {
    const status = await repo.dcp(["status", "--json"]);
    expect(status.status, explain(status)).to.equal(0);
    for (const stack of STACKS) expect(status.stdout).to.include(stack).and.include(firstRelease[stack]!);
    const history = await repo.dcp(["history", "prod", "--json"]);
    expect(history.status, explain(history)).to.equal(0);
    expect(history.stdout).to.include(firstRelease["prod-us-east-1"]!);
  });

  it("updates no stack when the same release runs again", async () => {
    const run = await repo.dcp(["release", "--to", "prod", "--approve", "--json"]);
    expect(run.status, explain(run)).to.equal(0);
    expect(eventsOf(run, "stack-updated")).to.deep.equal([]);
    expect(eventsOf(run, "stage-skipped").map((event) => event["stage"])).to.deep.equal(["beta", "gamma", "prod"]);
  });

  it("replaces only what a changed flag and config value touch, and serves the new content", async () => {
    const before = await view.versionCounts("us-west-2", repo.workload, "beta");
    repo.editStage("beta", (text) =>
      text.replace("one-page-checkout: { enabled: true, rolloutPercent: 100 }", "one-page-checkout: { enabled: true, rolloutPercent: 75 }").replace(
        "    cartTtlMinutes: 60",
        "    cartTtlMinutes: 90",
      ),
    );
    repo.commit("beta: checkout carts live longer, one-page checkout to 75%");
    const run = await repo.dcp(["release", "--to", "beta", "--json"]);
    expect(run.status, explain(run)).to.equal(0);
    expect(eventsOf(run, "stack-updated").map((event) => event["stack"])).to.deep.equal(["beta-us-west-2"]);
    const after = await view.versionCounts("us-west-2", repo.workload, "beta");
    expect(after).to.deep.equal({ ...before, "feature-flags": before["feature-flags"]! + 1, checkout: before["checkout"]! + 1 });
    const checkout = (await repo.served("beta", "us-west-2", "checkout")) as { cartTtlMinutes: number };
    expect(checkout.cartTtlMinutes).to.equal(90);
    const flags = (await repo.served("beta", "us-west-2", "feature-flags")) as Record<string, { rolloutPercent?: number }>;
    expect(flags["one-page-checkout"]).to.deep.include({ rolloutPercent: 75 });
  });

  it("replaces nothing in a profile whose content did not change", async () => {
    const before = await view.versionCounts("us-west-2", repo.workload, "beta");
    repo.editStage("beta", (text) => text.replace("    providerTimeoutMs: 5000", "    providerTimeoutMs: 4000"));
    repo.commit("beta: payments time out sooner");
    const run = await repo.dcp(["release", "--to", "beta", "--json"]);
    expect(run.status, explain(run)).to.equal(0);
    expect(await view.versionCounts("us-west-2", repo.workload, "beta")).to.deep.equal({ ...before, payments: before["payments"]! + 1 });
  });

  describe("then rolled back in an incident", () => {
    let secondRelease: Record<string, string>;

    before(async () => {
      repo.editStage("prod", (text) => text.replace("one-page-checkout: { enabled: true, rolloutPercent: 10 }", "one-page-checkout: { enabled: true, rolloutPercent: 25 }"));
      repo.commit("prod: one-page checkout to 25%");
      const run = await repo.dcp(["release", "--to", "prod", "--stage", "prod", "--approve", "--json"]);
      expect(run.status, explain(run)).to.equal(0);
      secondRelease = Object.fromEntries(eventsOf(run, "stack-updated").map((event) => [event["stack"], event["releaseId"]]));
    });

    const prodStacks = STACKS.filter((stack) => stack.startsWith("prod-"));
    const servedPercent = async (stack: string) =>
      ((await repo.served("prod", regionOf(stack), "feature-flags")) as Record<string, { rolloutPercent?: number }>)["one-page-checkout"]?.rolloutPercent;

    it("returns every prod stack to its previous release", async () => {
      for (const stack of prodStacks) expect(await servedPercent(stack), stack).to.equal(25);
      const run = await repo.dcp(["rollback", "prod", "--json"]);
      expect(run.status, explain(run)).to.equal(0);
      const rolledBack = Object.fromEntries(eventsOf(run, "rolled-back").map((event) => [event["stack"], event["releaseId"]]));
      for (const stack of prodStacks) {
        expect(rolledBack[stack], stack).to.equal(firstRelease[stack]);
        expect(await servedPercent(stack), stack).to.equal(10);
      }
    });

    it("returns every prod stack to a release named by id", async () => {
      const target = secondRelease["prod-us-east-1"]!;
      const run = await repo.dcp(["rollback", "prod", "--to", target, "--json"]);
      expect(run.status, explain(run)).to.equal(0);
      for (const stack of prodStacks) expect(await servedPercent(stack), stack).to.equal(25);
    });
  });
});
