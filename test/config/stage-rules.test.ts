import { expect } from "chai";
import * as path from "node:path";
import { loadEnvs } from "../../cli/config/load";
import { EnvsCopy } from "../support/sample-envs";

const TODAY = "2026-11-24";

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
});
