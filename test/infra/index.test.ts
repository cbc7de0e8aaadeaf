import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { recordStack } from "../../cli/offline/record-stack";
import type { DeclaredOutputs } from "../../infra/program";
import { STACK_CONFIG_KEY } from "../../infra/stack-config";
import { recordedSample, sampleConfig } from "./sample-stacks";

describe("the Pulumi entry point infra/index.ts", () => {
  let saved: Record<string, string>;
  beforeEach(() => (saved = pulumi.runtime.allConfig()));
  afterEach(() => pulumi.runtime.setAllConfig(saved));

  it("exports a function that declares the stack from dcp:stack and returns its outputs", async () => {
    const config = await sampleConfig("prod-us-east-1");
    pulumi.runtime.setAllConfig({ [STACK_CONFIG_KEY]: JSON.stringify(config) });
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- Pulumi loads the program with require, as here
    const entry = require("../../infra/index") as () => Promise<DeclaredOutputs>;
    const record = await recordStack(config, "prod-us-east-1", () => entry());
    const direct = await recordedSample("prod-us-east-1");
    expect(record.outputs).to.deep.equal(direct.outputs);
    expect(record.resources.map((resource) => resource.urn)).to.deep.equal(direct.resources.map((resource) => resource.urn));
  });
});
