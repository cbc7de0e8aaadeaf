import { expect } from "chai";
import * as path from "node:path";
import { Diagnostics } from "../../cli/config/diagnostics";
import type { PipelineFile } from "../../cli/config/formats/pipeline-file";
import type { StageFile } from "../../cli/config/formats/stage-file";
import { loadEnvs } from "../../cli/config/load";
import { parseYaml, type SourceFile } from "../../cli/config/source";
import { checkPipeline, checkStage } from "../../cli/config/stage-rules";
import { EnvsCopy } from "../support/sample-envs";

const TODAY = "2026-11-24";

/** What `check` finds in this YAML document, as `line:col message`. */
function findings<T>(check: (file: T, source: SourceFile, diagnostics: Diagnostics) => void, ...lines: string[]): string[] {
  const { source } = parseYaml([...lines, ""].join("\n"), "envs/beta.yaml");
  const diagnostics = new Diagnostics();
  check(source!.data as T, source!, diagnostics);
  return diagnostics.all.map((d) => `${d.line}:${d.col} ${d.message}`);
}

const stageFindings = (...lines: string[]) => findings<StageFile>(checkStage, ...lines);
const pipelineFindings = (...lines: string[]) => findings<PipelineFile>(checkPipeline, ...lines);

async function errorsIn(envs: EnvsCopy, file: string) {
  const { diagnostics } = await loadEnvs(envs.dir, { today: TODAY });
  return diagnostics.filter((d) => d.severity === "error" && path.basename(d.file) === file);
}

describe("stage rules", () => {
  let envs: EnvsCopy;
  beforeEach(() => (envs = new EnvsCopy()));
  afterEach(() => envs.remove());

  const withEndpoint = (stage: string, endpoint: string) => envs.replace(`${stage}.yaml`, /^approval:/m, `endpoint: ${endpoint}\napproval:`);

  describe("endpoint", () => {
    it("refuses a non-loopback endpoint in a production stage, at the endpoint's line", async () => {
      withEndpoint("prod", "https://localstack.example.com");
      const [error, ...rest] = await errorsIn(envs, "prod.yaml");
      expect(rest).to.deep.equal([]);
      expect(error).to.include({ line: envs.lineOf("prod.yaml", "endpoint:"), col: 11 });
      expect(error?.message).to.match(/in a production stage: only a loopback address/);
    });

    it("accepts a local emulator in a production stage", async () => {
      withEndpoint("prod", "http://127.0.0.1:4566");
      expect(await errorsIn(envs, "prod.yaml")).to.deep.equal([]);
    });

    it("accepts https to another machine in a stage that is not production", async () => {
      withEndpoint("gamma", "https://localstack.example.com:4566");
      expect(await errorsIn(envs, "gamma.yaml")).to.deep.equal([]);
    });

    it("refuses plain http to another machine in any stage", async () => {
      withEndpoint("beta", "http://10.0.0.5:4566");
      const [error] = await errorsIn(envs, "beta.yaml");
      expect(error).to.include({ line: envs.lineOf("beta.yaml", "endpoint:") });
      expect(error?.message).to.match(/in clear text; use https, or http only to a loopback address/);
    });
  });

  describe("within a stage file", () => {
    const WAVES = ["waves:", "  - name: one", "    regions: [us-east-1, eu-west-1]", "  - name: two", "    regions: [us-west-2]"];

    it("accepts a role of the stage's own account, in any partition, and a stage without alarms", () => {
      expect(stageFindings('account: "111111111111"', "role: arn:aws:iam::111111111111:role/dcp-deploy", ...WAVES)).to.deep.equal([]);
      expect(stageFindings('account: "111111111111"', "role: arn:aws-us-gov:iam::111111111111:role/dcp-deploy", ...WAVES)).to.deep.equal([]);
    });

    it("refuses a deploy role of another account, in any partition, at the role", () => {
      expect(stageFindings('account: "111111111111"', "role: arn:aws-cn:iam::222222222222:role/dcp-deploy", ...WAVES)).to.deep.equal([
        "2:7 deploy role is in account 222222222222 but the stage deploys to account 111111111111; use a role in the stage's own account",
      ]);
    });

    it("refuses a wave name or an alarm name used twice, at the second", () => {
      const lines = ['account: "111111111111"', "role: arn:aws:iam::111111111111:role/dcp-deploy", ...WAVES, "  - name: one", "    regions: [ap-south-1]", "alarms:", "  - name: errors", "  - name: latency", "  - name: errors"];
      expect(stageFindings(...lines)).to.deep.equal(['8:11 wave name "one" is used twice in this stage', '13:11 alarm name "errors" is used twice in this stage']);
    });
  });

  describe("within pipeline.yaml", () => {
    const BASE = ["workload: shop", "stages: [beta, prod]", "components:", "  checkout: { schema: schemas/checkout.json }", "  payments: { schema: schemas/payments.json }"];

    it("accepts a pipeline with no production stage and flags that name declared components", () => {
      expect(pipelineFindings(...BASE, "flags:", "  apple-pay: { description: d, owner: o, components: [payments, checkout] }")).to.deep.equal([]);
    });

    it("refuses a production stage that is not a stage, at that entry, listing the stages", () => {
      expect(pipelineFindings(...BASE, "production: [prod, live]")).to.deep.equal(['6:20 production stage "live" is not in stages (beta, prod)']);
    });

    it("refuses a flag naming an undeclared component, at that entry, listing the components", () => {
      expect(pipelineFindings(...BASE, "flags:", "  apple-pay: { description: d, owner: o, components: [payments, wallet] }")).to.deep.equal([
        '7:65 flag "apple-pay" names component "wallet", which is not declared in components (checkout, payments)',
      ]);
    });
  });
});
