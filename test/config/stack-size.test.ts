import { expect } from "chai";
import type { ResolvedStack, StackConfig } from "../../cli/config/model";
import { MAX_STACK_CONFIG_BYTES, pulumiConfigBytes, stackSizeProblems } from "../../cli/config/stack-size";
import { resolveStacks } from "../../cli/config/resolve";
import { requireEnvs } from "../../cli/config/envs";
import { validate } from "../../cli/offline/validate";
import { EnvsCopy, SAMPLE_ENVS, sampleEnvsOf } from "../support/sample-envs";

/** A stack of `stage` whose configuration weighs exactly `bytes` as Pulumi sends it. */
function stackWeighing(stage: string, region: string, bytes: number): ResolvedStack {
  const config = { pad: "" } as unknown as StackConfig & { pad: string };
  config.pad = "x".repeat(bytes - pulumiConfigBytes(config));
  return { stage, wave: stage, region, name: `${stage}-${region}`, config, releaseId: "000000000000" };
}

describe("the size of a stack's configuration", () => {
  it("is an error at validate time when Pulumi could not hand it to the program", async () => {
    const envs = new EnvsCopy();
    try {
      const long = "A description that goes on. ".repeat(30);
      const flags = Array.from({ length: 250 }, (_, i) => `  extra-${i}:\n    description: ${long}\n    owner: team-bench\n    components: [catalog]\n`).join("");
      envs.replace("pipeline.yaml", "\nflags:\n", `\nflags:\n${flags}`);
      const report = await validate({ envsDir: envs.dir, stage: "beta", today: "2026-11-24" });
      const [problem] = report.diagnostics.filter((d) => d.severity === "error");
      expect(problem?.file).to.match(/beta\.yaml$/);
      expect(problem?.message).to.match(/stack beta-us-west-2's configuration is \d+ KiB, over the 112 KiB/);
      expect(report.stacks).to.equal(0);
    } finally {
      envs.remove();
    }
  });

  it("is measured as Pulumi sends it: the config JSON-encoded inside PULUMI_CONFIG, quotes escaped", async () => {
    const [stack] = resolveStacks(await requireEnvs(SAMPLE_ENVS));
    const raw = Buffer.byteLength(JSON.stringify(stack!.config));
    const sent = JSON.stringify({ "dcp:stack": JSON.stringify(stack!.config) });
    expect(pulumiConfigBytes(stack!.config)).to.equal(Buffer.byteLength(sent));
    expect(pulumiConfigBytes(stack!.config) / raw).to.be.greaterThan(1.05);
  });

  it("is no problem for the sample", async () => {
    const report = await validate({ envsDir: SAMPLE_ENVS, stage: "beta", today: "2026-11-24" });
    expect(report.diagnostics.filter((d) => d.severity === "error")).to.deep.equal([]);
  });

  it("allows exactly the limit, and reports a stage over it once, at that stage's file, in whole KiB rounded up", async () => {
    const envs = await sampleEnvsOf();
    const stacks = [
      stackWeighing("beta", "us-west-2", MAX_STACK_CONFIG_BYTES),
      stackWeighing("gamma", "us-east-1", MAX_STACK_CONFIG_BYTES + 1),
      stackWeighing("gamma", "eu-west-1", MAX_STACK_CONFIG_BYTES + 5000),
      stackWeighing("prod", "us-east-1", MAX_STACK_CONFIG_BYTES - 1),
    ];
    expect(stacks.map((stack) => pulumiConfigBytes(stack.config) - MAX_STACK_CONFIG_BYTES)).to.deep.equal([0, 1, 5000, -1]);
    expect(stackSizeProblems(envs, stacks)).to.deep.equal([
      {
        file: envs.stages.find((stage) => stage.name === "gamma")?.file,
        line: 1,
        col: 1,
        severity: "error",
        message:
          "stack gamma-us-east-1's configuration is 113 KiB, over the 112 KiB Pulumi can hand its program (it travels in one environment variable, which Linux caps at 128 KiB); shorten flag descriptions or split the workload",
      },
    ]);
  });
});
