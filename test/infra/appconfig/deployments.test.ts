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

    it("deploy only the feature flags when nothing is deployed yet, with the stage's strategy: one deployment per update", async () => {
      const { releaseId } = await sampleStack(name);
      const stack = await recordedSample(name);
      const profileIds = stack.outputs.profileIds as Record<string, string>;
      const [only, ...others] = deployments(stack);
      expect(others).to.deep.equal([]);
      expect(profileOf(only ?? { inputs: {} })).to.equal("feature-flags");
      expect(only?.inputs).to.include({
        applicationId: stack.outputs.applicationId,
        environmentId: stack.outputs.environmentId,
        deploymentStrategyId: stack.outputs.deploymentStrategyId,
        configurationProfileId: profileIds["feature-flags"],
        configurationVersion: "1",
        description: `dcp release ${releaseId}`,
      });
      expect(stack.outputs.deploymentNumbers).to.have.keys("feature-flags");
    });
  });
}

describe("AppConfig deployments across releases", () => {
  async function deployedNow(stackName: string): Promise<Record<string, string>> {
    return (await recordedSample(stackName)).outputs.contentHashes as Record<string, string>;
  }

  it("deploy the next profile in order once dcp records the previous one as deployed, and export what is deployed before it", async () => {
    const config = await sampleConfig("prod-us-east-1");
    const hashes = await deployedNow("prod-us-east-1");
    const [first, second, ...rest] = ["feature-flags", ...Object.keys(config.components)];
    if (second === undefined || first === undefined) throw new Error("the sample has at least one component");
    const deployedContent = { [first]: hashes[first] ?? "" };
    config.metadata = { releaseId: "000000000000", deployedContent };

    const stack = await recordStack(config, "prod-us-east-1");
    expect(deployments(stack).map(profileOf)).to.deep.equal([second]);
    expect(stack.outputs.deployedContent).to.deep.equal(deployedContent);
    expect(rest.length).to.be.greaterThan(0);
  });

  it("export no deployed content for a profile the stack no longer declares", async () => {
    const config = await sampleConfig("gamma-us-east-1");
    config.metadata = { releaseId: "000000000000", deployedContent: { ...(await deployedNow("gamma-us-east-1")), retired: "0ld" } };
    const stack = await recordStack(config, "gamma-us-east-1");
    expect(stack.outputs.deployedContent).not.to.have.property("retired");
    expect(stack.outputs.deployedContent).to.deep.equal(await deployedNow("gamma-us-east-1"));
  });

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
