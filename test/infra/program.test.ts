import { expect } from "chai";
import type { RecordedResource } from "../../cli/offline/recorded-resource";
import type { StackOutputs } from "../../infra/outputs";
import { REQUIRED_TAG_KEYS } from "../../infra/tags";
import { CHECKED_STACKS, TYPES, onlyResourceOfType, recordedSample, sampleStack } from "./sample-stacks";

/** The AWS provider serialises its object inputs as JSON. */
function providerInput(provider: RecordedResource, key: string): unknown {
  const value = provider.inputs[key];
  return typeof value === "string" ? JSON.parse(value) : value;
}

const TAGGABLE = [
  TYPES.application,
  TYPES.environment,
  TYPES.profile,
  TYPES.strategy,
  TYPES.deployment,
  TYPES.alarm,
  TYPES.topic,
  TYPES.role,
];

for (const name of CHECKED_STACKS) {
  describe(`the infra program for ${name}`, () => {
    it("declares every AWS resource with the stack's own provider, never the default one", async () => {
      const stack = await recordedSample(name);
      const provider = onlyResourceOfType(stack, TYPES.provider);
      const awsResources = stack.resources.filter((resource) => resource.type.startsWith("aws:"));
      expect(awsResources.length).to.be.greaterThan(10);
      for (const resource of awsResources) {
        expect(resource.provider, `${resource.type} ${resource.name}`).to.equal(provider.urn);
      }
    });

    it("reaches the stage's account by assuming its deploy role, in the stack's region", async () => {
      const { config } = await sampleStack(name);
      const provider = onlyResourceOfType(await recordedSample(name), TYPES.provider);
      expect(provider.inputs.region).to.equal(config.region);
      const assumeRoles = providerInput(provider, "assumeRoles") as { roleArn: string; sessionName: string }[];
      expect(assumeRoles).to.have.length(1);
      expect(assumeRoles[0]?.roleArn).to.equal(config.role);
      expect(assumeRoles[0]?.sessionName).to.match(/^dcp-[\w+=,.@-]{1,60}$/);
      expect(providerInput(provider, "allowedAccountIds")).to.deep.equal([config.account]);
      expect(provider.inputs).not.to.have.any.keys("accessKey", "secretKey", "profile", "endpoints");
    });

    it("tags every resource through the provider's default tags: workload, stage, region, managed-by and release id", async () => {
      const { config, releaseId } = await sampleStack(name);
      const stack = await recordedSample(name);
      const { tags } = providerInput(onlyResourceOfType(stack, TYPES.provider), "defaultTags") as { tags: Record<string, string> };
      expect(Object.keys(tags)).to.include.members([...REQUIRED_TAG_KEYS, "release-id"]);
      expect(tags).to.include({
        workload: config.workload,
        stage: config.stage,
        region: config.region,
        "managed-by": "dcp",
        "release-id": releaseId,
      });
      const provider = onlyResourceOfType(stack, TYPES.provider);
      const taggable = stack.resources.filter((resource) => TAGGABLE.includes(resource.type as (typeof TAGGABLE)[number]));
      expect(taggable.length).to.be.greaterThan(10);
      for (const resource of taggable) {
        expect(resource.provider, `${resource.type} ${resource.name}`).to.equal(provider.urn);
        const ownTags = (resource.inputs.tags ?? {}) as Record<string, string>;
        expect(ownTags, `${resource.type} ${resource.name} overrides a required tag`).not.to.have.any.keys(...REQUIRED_TAG_KEYS);
      }
    });

    it("exports everything the bake, status and rollback read, for every profile and alarm", async () => {
      const { config, releaseId } = await sampleStack(name);
      const stack = await recordedSample(name);
      const outputs = stack.outputs as unknown as StackOutputs;
      const profiles = ["feature-flags", ...Object.keys(config.components)];
      expect(outputs.releaseId).to.equal(releaseId);
      expect(outputs.applicationId).to.match(/^[a-z0-9]{4,7}$/);
      expect(outputs.environmentId).to.match(/^[a-z0-9]{4,7}$/);
      expect(outputs.deploymentStrategyId).to.match(/^[a-z0-9]{4,7}$/);
      expect(Object.keys(outputs.profileIds)).to.have.members(profiles);
      expect(Object.keys(outputs.contentHashes)).to.have.members(profiles);
      expect(Object.keys(outputs.deploymentNumbers)).to.deep.equal(["feature-flags"]);
      expect(outputs.deployedContent).to.deep.equal({});
      expect(outputs.alarmNames).to.deep.equal(config.alarms.map((alarm) => `${config.workload}-${config.stage}-${alarm.name}`));
      expect(outputs.alarmArns).to.deep.equal(
        outputs.alarmNames.map((alarm) => `arn:aws:cloudwatch:${config.region}:${config.account}:alarm:${alarm}`),
      );
    });
  });
}

describe("the infra program's outputs", () => {
  it("are keyed in the stack outputs exactly as the StackOutputs type names them", async () => {
    const outputs = (await recordedSample("beta-us-west-2")).outputs;
    const expected: Record<keyof StackOutputs, true> = {
      releaseId: true,
      applicationId: true,
      environmentId: true,
      profileIds: true,
      contentHashes: true,
      deployedContent: true,
      deploymentNumbers: true,
      deploymentStrategyId: true,
      alarmNames: true,
      alarmArns: true,
    };
    expect(Object.keys(outputs)).to.have.members(Object.keys(expected));
  });
});
