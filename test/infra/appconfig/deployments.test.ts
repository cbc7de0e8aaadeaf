import { expect } from "chai";
import { recordStack } from "../../../cli/offline/record-stack";
import type { RecordedStack } from "../../../cli/offline/recorded-resource";
import { stageFile } from "../sample-files";
import { CHECKED_STACKS, TYPES, onlyResourceOfType, recordedSample, resourcesOfType, sampleConfig, sampleStack } from "../sample-stacks";

function deployments(stack: RecordedStack) {
  return resourcesOfType(stack, TYPES.deployment);
}

/** The profile a deployment deploys, from the tag the program puts on it. */
function profileOf(deployment: { inputs: Record<string, unknown> }): string {
  return (deployment.inputs.tags as { profile: string }).profile;
}

for (const name of CHECKED_STACKS) {
  describe(`the AppConfig deployments of ${name}`, () => {
    it("use a deployment strategy equal to the stage's rollout, replicated nowhere", async () => {
      const { config } = await sampleStack(name);
      const { rollout } = stageFile(config.stage);
      const strategy = onlyResourceOfType(await recordedSample(name), TYPES.strategy);
      expect(strategy.inputs).to.include({
        deploymentDurationInMinutes: rollout.durationMinutes,
        growthType: rollout.growthType,
        growthFactor: rollout.growthFactor,
        finalBakeTimeInMinutes: rollout.finalBakeMinutes,
        replicateTo: "NONE",
      });
    });

    it("deploy every profile when nothing is deployed yet, flags first, each with the stage's strategy", async () => {
      const { config, releaseId } = await sampleStack(name);
      const stack = await recordedSample(name);
      const profileIds = stack.outputs.profileIds as Record<string, string>;
      const declared = deployments(stack);
      expect(declared.map(profileOf)).to.deep.equal(["feature-flags", ...Object.keys(config.components)]);
      for (const deployment of declared) {
        expect(deployment.inputs).to.include({
          applicationId: stack.outputs.applicationId,
          environmentId: stack.outputs.environmentId,
          deploymentStrategyId: stack.outputs.deploymentStrategyId,
          configurationProfileId: profileIds[profileOf(deployment)],
          configurationVersion: "1",
          description: `dcp release ${releaseId}`,
        });
      }
    });

    it("chain the deployments, each waiting for the previous one, since AppConfig runs one at a time per environment", async () => {
      const declared = deployments(await recordedSample(name));
      expect(declared.length).to.be.greaterThan(1);
      expect(declared[0]?.dependsOn).to.deep.equal([]);
      for (let i = 1; i < declared.length; i++) {
        expect(declared[i]?.dependsOn, declared[i]?.name).to.deep.equal([declared[i - 1]?.urn]);
      }
    });
  });
}

describe("AppConfig deployments across releases", () => {
  async function deployedNow(stackName: string): Promise<Record<string, string>> {
    return (await recordedSample(stackName)).outputs.contentHashes as Record<string, string>;
  }

  it("are omitted for every profile whose content the stack already runs", async () => {
    const config = await sampleConfig("prod-us-east-1");
    config.metadata = { releaseId: "000000000000", deployedContent: await deployedNow("prod-us-east-1") };
    const stack = await recordStack(config, "prod-us-east-1");
    expect(deployments(stack)).to.deep.equal([]);
    expect(stack.outputs.deploymentNumbers).to.deep.equal({});
    expect(resourcesOfType(stack, TYPES.strategy)).to.have.length(1);
  });

  it("deploy only the profile whose content changed, under a name derived from the new content", async () => {
    const config = await sampleConfig("gamma-us-east-1");
    const deployedContent = await deployedNow("gamma-us-east-1");
    config.metadata = { releaseId: "000000000000", deployedContent };
    const checkout = config.components.checkout;
    if (checkout === undefined) throw new Error("the sample has no checkout component");
    checkout.config = { ...checkout.config, logLevel: "WARN" };

    const stack = await recordStack(config, "gamma-us-east-1");
    const [only, ...others] = deployments(stack);
    expect(others).to.deep.equal([]);
    expect(profileOf(only ?? { inputs: {} })).to.equal("checkout");
    const newHash = (stack.outputs.contentHashes as Record<string, string>).checkout ?? "";
    expect(newHash).not.to.equal(deployedContent.checkout);
    expect(only?.name).to.equal(`checkout-${newHash.slice(0, 12)}`);
    expect(only?.dependsOn).to.deep.equal([]);
    expect(Object.keys(stack.outputs.deploymentNumbers as object)).to.deep.equal(["checkout"]);
  });

  it("give the same content the same deployment name, so an unchanged deployment is never replaced", async () => {
    const first = deployments(await recordedSample("beta-us-west-2")).map((deployment) => deployment.name);
    const again = deployments(await recordStack(await sampleConfig("beta-us-west-2"), "beta-us-west-2")).map(
      (deployment) => deployment.name,
    );
    expect(again).to.deep.equal(first);
  });
});
