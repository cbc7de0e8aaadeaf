import { expect } from "chai";
import type { Envs } from "../../cli/config/model";
import { canonicalJson, releaseIdOf } from "../../cli/config/release-id";
import { placementOf, resolveStacks } from "../../cli/config/resolve";
import { stackConfigProblems } from "../../infra/read-stack-config";
import { EnvsCopy, loadedEnvs, SAMPLE_TODAY, sampleEnvsOf } from "../support/sample-envs";

/** The sample with `stage`'s file changed as `change` says. */
function withStageFile(envs: Envs, stage: string, change: (file: Envs["stages"][number]["definition"]) => Envs["stages"][number]["definition"]): Envs {
  return { ...envs, stages: envs.stages.map((s) => (s.name === stage ? { ...s, definition: change(s.definition) } : s)) };
}

const sample = (dir?: string): Promise<Envs> => (dir === undefined ? sampleEnvsOf(SAMPLE_TODAY) : loadedEnvs(dir, SAMPLE_TODAY));

describe("resolving stacks", () => {
  it("makes one stack per stage × region, named <stage>-<region>, in release order", async () => {
    const names = resolveStacks(await sample()).map((s) => s.name);
    expect(names).to.deep.equal([
      "beta-us-west-2",
      "gamma-us-east-1",
      "gamma-eu-west-1",
      "prod-us-east-1",
      "prod-us-west-2",
      "prod-eu-west-1",
      "prod-eu-central-1",
      "prod-ap-southeast-2",
      "prod-ap-northeast-1",
    ]);
  });

  it("resolves a StackConfig that satisfies the StackConfig schema the program checks", async () => {
    for (const stack of resolveStacks(await sample())) {
      expect(stackConfigProblems(stack.config), stack.name).to.deep.equal([]);
    }
  });

  it("carries the stage's values, the region and the production marker", async () => {
    const [canary] = resolveStacks(await sample(), { stage: "prod", region: "us-east-1" });
    expect(canary?.config).to.include({ workload: "storefront", stage: "prod", region: "us-east-1", account: "333333333333", production: true });
    expect(canary?.config.components["checkout"]?.config).to.include({ logLevel: "ERROR" });
    expect(canary?.config.components["checkout"]?.schema).to.have.property("title", "checkout operational configuration");
    expect(canary?.config.flags["one-page-checkout"]?.value).to.deep.equal({ enabled: true, rolloutPercent: 10, layout: "compact" });
    expect(canary?.config.rollout.finalBakeMinutes).to.equal(30);
  });

  it("switches off a catalogued flag that a stage does not mention", async () => {
    const envs = new EnvsCopy().replace("beta.yaml", "  apple-pay: { enabled: true }\n", "");
    try {
      const [beta] = resolveStacks(await sample(envs.dir), { stage: "beta" });
      expect(beta?.config.flags["apple-pay"]?.value).to.deep.equal({ enabled: false });
    } finally {
      envs.remove();
    }
  });
});

describe("where a stage deploys", () => {
  it("is the stage file's account and role, production as pipeline.yaml says, and no endpoint unless the file names one", async () => {
    expect(placementOf(await sample(), "prod")).to.deep.equal({ account: "333333333333", role: "arn:aws:iam::333333333333:role/dcp-deploy", production: true });
    const local = withStageFile(await sample(), "beta", (file) => ({ ...file, endpoint: "http://localhost:4566" }));
    expect(placementOf(local, "beta")).to.deep.equal({ account: "111111111111", role: "arn:aws:iam::111111111111:role/dcp-deploy", endpoint: "http://localhost:4566", production: false });
  });

  it("is refused for a stage envs/ does not have", async () => {
    const envs = await sample();
    expect(() => placementOf(envs, "qa")).to.throw("no stage qa in envs/");
  });
});

describe("a stage without alarms", () => {
  it("resolves to stacks with no alarms", async () => {
    const { alarms: _alarms, ...withoutAlarms } = (await sample()).stages[0]!.definition;
    const envs = withStageFile(await sample(), "beta", () => withoutAlarms);
    expect(resolveStacks(envs, { stage: "beta" }).map((stack) => stack.config.alarms)).to.deep.equal([[]]);
  });
});

describe("release ids", () => {
  it("are the same across runs and whatever the key order of the files", async () => {
    const envs = new EnvsCopy();
    try {
      envs.replace("gamma.yaml", "    throttling: { requestsPerSecond: 1000, burst: 1500 }", "    throttling: { burst: 1500, requestsPerSecond: 1000 }");
      const reordered = resolveStacks(await sample(envs.dir), { stage: "gamma" }).map((s) => s.releaseId);
      const original = resolveStacks(await sample(), { stage: "gamma" }).map((s) => s.releaseId);
      expect(reordered).to.deep.equal(original);
      expect(original.every((id) => /^[0-9a-f]{12}$/.test(id))).to.equal(true);
    } finally {
      envs.remove();
    }
  });

  it("change when any deployed value changes, and only for the stacks of that stage", async () => {
    const envs = new EnvsCopy();
    try {
      envs.replace("prod.yaml", "sampleRate: 0.05", "sampleRate: 0.06");
      const before = resolveStacks(await sample());
      const after = resolveStacks(await sample(envs.dir));
      const changed = after.filter((s, i) => s.releaseId !== before[i]?.releaseId).map((s) => s.stage);
      expect(changed).to.have.length(6);
      expect(new Set(changed)).to.deep.equal(new Set(["prod"]));
    } finally {
      envs.remove();
    }
  });

  it("ignore release metadata such as who released and when", async () => {
    const [stack] = resolveStacks(await sample(), { stage: "beta" });
    const config = { ...stack!.config, metadata: { releaseId: stack!.releaseId, releasedBy: "alice", releasedAt: "2026-11-24T10:00:00Z" } };
    expect(releaseIdOf(config)).to.equal(stack!.releaseId);
  });

  it("differ between regions of one stage, since the region is deployed", async () => {
    const ids = resolveStacks(await sample(), { stage: "gamma" }).map((s) => s.releaseId);
    expect(new Set(ids).size).to.equal(2);
  });

  it("serialise canonically: sorted keys at every depth, arrays kept in order", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: null } })).to.equal('{"a":{"c":null,"d":[3,1]},"b":1}');
  });

  it("serialise what JSON cannot hold as JSON.stringify does: undefined keys left out, undefined elements as null", () => {
    expect(canonicalJson({ b: undefined, a: [1, undefined] })).to.equal('{"a":[1,null]}');
    expect(canonicalJson(undefined)).to.equal("null");
  });

  it("take the canonical text already computed for a shared part instead of serialising it again", () => {
    const shared = { z: 1 };
    expect(canonicalJson({ a: shared, b: [shared] }, new Map([[shared, "SHARED"]]))).to.equal('{"a":SHARED,"b":[SHARED]}');
  });
});
