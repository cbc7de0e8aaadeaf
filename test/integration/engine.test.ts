/**
 * The Pulumi adapter against a real `pulumi` CLI and engine, offline: a file backend in a
 * temp dir, a project whose program declares only a component (no provider plugin to
 * download, no cloud), and a policy pack whose stack policy reports a violation when its
 * config says so. Skipped, with the reason printed, where no usable `pulumi` is on PATH.
 */
import { expect } from "chai";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createEngine } from "../../cli/engine";
import { requirePulumiCli } from "../../cli/engine/pulumi-cli";
import type { Envs } from "../../cli/config/model";
import type { Engine, StackRef } from "../../cli/pipeline/ports";
import { sampleConfig } from "../engine/sample-config";

const WORKLOAD = "dcpitest";
const repoNodeModules = resolve(__dirname, "../../node_modules");

const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const config = new pulumi.Config("dcp").requireObject("stack");
class Flags extends pulumi.ComponentResource {
  constructor(name, opts) { super("dcp:test:Flags", name, {}, opts); this.registerOutputs({}); }
}
new Flags("flags-" + config.stage);
exports.releaseId = config.metadata.releaseId;
exports.alarmNames = config.alarms.map((alarm) => alarm.name);
exports.deploymentNumbers = {};
`;

const POLICY_PACK = `
const { PolicyPack } = require("@pulumi/policy");
new PolicyPack("dcp-itest", {
  policies: [{
    name: "no-debug-logging",
    description: "fails when its config says the stack logs at DEBUG",
    enforcementLevel: "advisory",
    configSchema: { properties: { debug: { type: "boolean", default: false } } },
    validateStack: (args, reportViolation) => {
      if (args.getConfig().debug) reportViolation("checkout logs at DEBUG in a production stage");
    },
  }],
});
`;

function writeProject(root: string): void {
  writeFileSync(join(root, "Pulumi.yaml"), `name: ${WORKLOAD}\nruntime: nodejs\nmain: index.js\n`);
  writeFileSync(join(root, "index.js"), PROGRAM);
  symlinkSync(repoNodeModules, join(root, "node_modules"), "dir");
  const policies = join(root, "policies");
  mkdirSync(policies);
  writeFileSync(join(policies, "PulumiPolicy.yaml"), "runtime: nodejs\n");
  writeFileSync(join(policies, "package.json"), JSON.stringify({ name: "dcp-itest-policies", version: "0.0.1", main: "index.js" }));
  writeFileSync(join(policies, "index.js"), POLICY_PACK);
  symlinkSync(repoNodeModules, join(policies, "node_modules"), "dir");
}

describe("the Pulumi engine, end to end (integration)", function () {
  this.timeout(5 * 60_000);
  let root: string;
  let engine: Engine;
  const stacks: StackRef[] = ["us-east-1", "us-west-2", "eu-west-1"].map((region) => ({
    stage: "gamma",
    region,
    name: `gamma-${region}`,
  }));
  const [first] = stacks as [StackRef];

  before(async function () {
    try {
      await requirePulumiCli();
    } catch (error) {
      console.log(`    skipping the engine integration suite: ${(error as Error).message}`);
      this.skip();
    }
    root = mkdtempSync(join(tmpdir(), "dcp-itest-"));
    writeProject(root);
    const envs = {
      dir: join(root, "envs"),
      pipeline: { workload: WORKLOAD, stages: ["gamma"], components: {}, state: "file://state" },
      stages: [],
      schemas: {},
    } as unknown as Envs;
    engine = await createEngine(envs, { repoRoot: root, onNotice: () => undefined });
  });

  after(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("previews with the policy pack and reports a mandatory violation, deploying nothing", async () => {
    const result = await engine.preview(first, sampleConfig(), {
      policyConfig: { "no-debug-logging": { enforcementLevel: "mandatory", debug: true } },
    });
    expect(result.violations).to.have.length(1);
    expect(result.violations[0]).to.deep.include({ stack: first.name, policy: "no-debug-logging", level: "mandatory" });
    expect(await engine.outputs(first)).to.equal(undefined);
  });

  it("reports the same violation as advisory when the stage's policy config says so", async () => {
    const result = await engine.preview(first, sampleConfig(), {
      policyConfig: { "no-debug-logging": { enforcementLevel: "advisory", debug: true } },
    });
    expect(result.violations.map((violation) => violation.level)).to.deep.equal(["advisory"]);
  });

  it("updates several stacks at once and gives each StackConfig back through history", async () => {
    const configs = stacks.map((stack, index) => ({ ...sampleConfig(`00000000000${index}`), region: stack.region }));
    const results = await Promise.all(stacks.map((stack, index) => engine.up(stack, configs[index]!, { policyConfig: {} })));
    expect(results.map((result) => result.outputs.releaseId)).to.deep.equal(["000000000000", "000000000001", "000000000002"]);
    for (const [index, stack] of stacks.entries()) {
      const [latest] = await engine.history(stack);
      expect(latest).to.deep.include({ kind: "update", result: "succeeded" });
      expect(latest?.config).to.deep.equal(configs[index]);
    }
    expect(await engine.refresh(first, {})).to.deep.equal([]);
  });
});
