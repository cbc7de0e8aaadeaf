import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { recordStack } from "../../cli/offline/record-stack";
import { sampleConfig, sampleStacks } from "../infra/sample-stacks";

/** Any resource type, for programs smaller than the real one. */
class AnyResource extends pulumi.CustomResource {
  constructor(type: string, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    super(type, name, props, opts);
  }
}

async function failureOf(run: Promise<unknown>): Promise<string> {
  try {
    await run;
  } catch (error) {
    return String(error);
  }
  throw new Error("the run did not fail");
}

describe("recording a stack under strict mocks", () => {
  it("records every stack of the sample in one process, each under its own stack name", async () => {
    const stacks = await sampleStacks();
    expect(stacks).to.have.length(9);
    const records = await Promise.all(stacks.map((stack) => recordStack(stack.config, stack.name)));
    for (const [i, record] of records.entries()) {
      const name = stacks[i]?.name ?? "";
      expect(record.stack).to.equal(name);
      expect(record.resources.length).to.be.greaterThan(20);
      for (const resource of record.resources) expect(resource.urn).to.match(new RegExp(`^urn:pulumi:${name}::storefront::`));
    }
  });

  it("records the parent, provider and explicit dependencies of each resource, not those its inputs imply", async () => {
    const config = await sampleConfig("beta-us-west-2");
    const record = await recordStack(config, "beta-us-west-2", () => {
      const parent = new pulumi.ComponentResource("dcp:infra:StageAlarms", "alarms");
      const first = new AnyResource("aws:sns/topic:Topic", "first", { name: "first" }, { parent });
      const second = new AnyResource("aws:sns/topic:Topic", "second", { name: "second" }, { dependsOn: [first] });
      new AnyResource("aws:sns/topic:Topic", "third", { name: second.id });
      return {};
    });
    const [component, first, second, third] = record.resources;
    expect(first?.parent).to.equal(component?.urn);
    expect(first?.provider).to.equal(undefined);
    expect(second?.dependsOn).to.deep.equal([first?.urn]);
    expect(third?.inputs).to.deep.equal({ name: "arn:aws:sns:us-west-2:111111111111:second" });
    expect(third?.dependsOn).to.deep.equal([]);
  });

  it("fails on a resource type the mocks do not know, naming it", async () => {
    const config = await sampleConfig("beta-us-west-2");
    const failure = await failureOf(
      recordStack(config, "beta-us-west-2", () => {
        new AnyResource("aws:s3/bucket:Bucket", "typo", {});
        return {};
      }),
    );
    expect(failure).to.include("strict mocks: no mock for resource type aws:s3/bucket:Bucket (typo)");
  });

  it("fails on any provider function call, which the program is not meant to make", async () => {
    const config = await sampleConfig("beta-us-west-2");
    const failure = await failureOf(
      recordStack(config, "beta-us-west-2", () => {
        const identity = pulumi.output(pulumi.runtime.invoke("aws:index/getCallerIdentity:getCallerIdentity", {}));
        return { applicationId: identity.apply((result) => String(result.accountId)) };
      }),
    );
    expect(failure).to.include("the program calls aws:index/getCallerIdentity:getCallerIdentity, which has no mock");
  });

  it("refuses a StackConfig that breaks the contract before running anything", async () => {
    const config = await sampleConfig("beta-us-west-2");
    const failure = await failureOf(recordStack({ ...config, account: "12" }, "beta-us-west-2"));
    expect(failure).to.include("beta-us-west-2: not a valid StackConfig").and.include("/account must match pattern");
  });

  it("leaves nothing of a failed run in the next run's record", async () => {
    const config = await sampleConfig("beta-us-west-2");
    await failureOf(
      recordStack(config, "beta-us-west-2", () => {
        new AnyResource("aws:sns/topic:Topic", "leftover", { name: "leftover" });
        throw new Error("the program failed half-way");
      }),
    );
    const next = await recordStack(config, "beta-us-west-2");
    expect(next.resources.map((resource) => resource.name)).not.to.include("leftover");
    expect(next.outputs).to.have.property("environmentId");
  });
});
