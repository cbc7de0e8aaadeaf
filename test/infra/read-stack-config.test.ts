import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { readStackConfig } from "../../infra/read-stack-config";
import { STACK_CONFIG_KEY } from "../../infra/stack-config";
import { sampleConfig } from "./sample-stacks";

describe("reading the stack's StackConfig", () => {
  let saved: Record<string, string>;
  beforeEach(() => (saved = pulumi.runtime.allConfig()));
  afterEach(() => pulumi.runtime.setAllConfig(saved));

  it("returns the structured value dcp set as dcp:stack", async () => {
    const config = await sampleConfig("gamma-eu-west-1");
    pulumi.runtime.setAllConfig({ [STACK_CONFIG_KEY]: JSON.stringify(config) });
    expect(readStackConfig()).to.deep.equal(config);
  });

  it("fails with every problem named when the value breaks the StackConfig contract", async () => {
    const config = await sampleConfig("gamma-eu-west-1");
    const broken = { ...config, region: "Europe", rollout: { ...config.rollout, growthType: "STEP" } };
    pulumi.runtime.setAllConfig({ [STACK_CONFIG_KEY]: JSON.stringify(broken) });
    expect(() => readStackConfig())
      .to.throw(pulumi.RunError)
      .with.property("message")
      .that.includes("dcp:stack is not a valid StackConfig")
      .and.includes("/region must match pattern")
      .and.includes("/rollout/growthType must be equal to one of the allowed values");
  });

  it("fails naming the key when dcp:stack is not set", () => {
    pulumi.runtime.setAllConfig({});
    expect(() => readStackConfig()).to.throw(/dcp:stack/);
  });
});
