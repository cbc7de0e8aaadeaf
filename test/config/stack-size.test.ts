import { expect } from "chai";
import { pulumiConfigBytes } from "../../cli/config/stack-size";
import { resolveStacks } from "../../cli/config/resolve";
import { requireEnvs } from "../../cli/config/envs";
import { validate } from "../../cli/offline/validate";
import { EnvsCopy, SAMPLE_ENVS } from "../support/sample-envs";

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
});
