import { expect } from "chai";
import { requireEnvs } from "../../cli/config/envs";
import { ConfigError } from "../../cli/errors";
import { EnvsCopy, SAMPLE_ENVS } from "../support/sample-envs";

describe("a command that needs a valid envs/", () => {
  let envs: EnvsCopy;
  beforeEach(() => (envs = new EnvsCopy()));
  afterEach(() => envs.remove());

  async function refusal(): Promise<ConfigError> {
    try {
      await requireEnvs(envs.dir);
    } catch (error) {
      if (error instanceof ConfigError) return error;
      throw error;
    }
    throw new Error("requireEnvs accepted a broken envs/");
  }

  it("gets the loaded configuration", async () => {
    const loaded = await requireEnvs(SAMPLE_ENVS);
    expect(loaded.stages.map((stage) => stage.name)).to.deep.equal(["beta", "gamma", "prod"]);
  });

  it("stops on one error, saying so in the singular, with the list validate shows", async () => {
    envs.replace("beta.yaml", "logLevel: DEBUG", "logLevel: LOUD");
    const error = await refusal();
    expect(error.message).to.equal(`${envs.dir} has a configuration error; fix it (dcp validate shows the same list)`);
    expect(error.diagnostics.map((d) => d.severity)).to.deep.equal(["error"]);
  });

  it("counts only the errors, not the warnings beside them", async () => {
    envs.replace("beta.yaml", "logLevel: DEBUG", "logLevel: LOUD").replace("prod.yaml", "logLevel: ERROR", "logLevel: LOUD").replace("pipeline.yaml", "expires: 2027-01-15", "expires: 2026-01-15");
    const error = await refusal();
    expect(error.message).to.equal(`${envs.dir} has 2 configuration errors; fix them (dcp validate shows the same list)`);
    expect(error.diagnostics.filter((d) => d.severity === "warning")).to.not.deep.equal([]);
  });
});
