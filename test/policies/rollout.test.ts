import { expect } from "chai";
import { noAllAtOnceRolloutInProduction, productionRolloutBakes } from "../../policies/rollout";
import { UNKNOWN_AT_PREVIEW, violationsOf, type ResourceUnderTest } from "./harness";

function getHappyPathArgs(): ResourceUnderTest {
  return {
    type: "aws:appconfig/deploymentStrategy:DeploymentStrategy",
    name: "rollout",
    props: { deploymentDurationInMinutes: 30, growthType: "EXPONENTIAL", growthFactor: 2, finalBakeTimeInMinutes: 30, replicateTo: "NONE" },
  };
}

const production = { production: true };

describe("rollout policies", () => {
  describe("production-rollout-bakes", () => {
    it("passes a production strategy with a 30-minute final bake", async () => {
      expect(await violationsOf(productionRolloutBakes, getHappyPathArgs(), production)).to.deep.equal([]);
    });

    it("rejects a production final bake shorter than the default minimum of 30 minutes", async () => {
      const strategy = getHappyPathArgs();
      strategy.props.finalBakeTimeInMinutes = 10;
      expect(await violationsOf(productionRolloutBakes, strategy, production)).to.deep.equal([
        "final bake is 10 minutes; a production stage needs at least 30 so alarms can stop a bad change.",
      ]);
    });

    it("rejects a production strategy without a final bake", async () => {
      const strategy = getHappyPathArgs();
      delete strategy.props.finalBakeTimeInMinutes;
      expect((await violationsOf(productionRolloutBakes, strategy, production))[0]).to.match(/^final bake is 0 minutes/);
    });

    it("uses the configured minimum", async () => {
      expect((await violationsOf(productionRolloutBakes, getHappyPathArgs(), { ...production, minFinalBakeMinutes: 45 }))[0]).to.match(/needs at least 45/);
    });

    it("treats a stage as not production when config does not say", async () => {
      const strategy = getHappyPathArgs();
      strategy.props.finalBakeTimeInMinutes = 2;
      expect(await violationsOf(productionRolloutBakes, strategy)).to.deep.equal([]);
    });

    it("allows a short bake outside production", async () => {
      const strategy = getHappyPathArgs();
      strategy.props.finalBakeTimeInMinutes = 2;
      expect(await violationsOf(productionRolloutBakes, strategy, { production: false })).to.deep.equal([]);
    });
  });

  describe("no-all-at-once-rollout-in-production", () => {
    it("passes a gradual production strategy", async () => {
      expect(await violationsOf(noAllAtOnceRolloutInProduction, getHappyPathArgs(), production)).to.deep.equal([]);
    });

    it("rejects a growth factor of 100%", async () => {
      const strategy = getHappyPathArgs();
      strategy.props.growthFactor = 100;
      expect(await violationsOf(noAllAtOnceRolloutInProduction, strategy, production)).to.deep.equal([
        "growth factor 100% reaches every host in the first step; use a smaller step.",
      ]);
      strategy.props.growthFactor = 99;
      expect(await violationsOf(noAllAtOnceRolloutInProduction, strategy, production)).to.deep.equal([]);
    });

    it("rejects a zero-minute deployment", async () => {
      const strategy = getHappyPathArgs();
      strategy.props.deploymentDurationInMinutes = 0;
      expect(await violationsOf(noAllAtOnceRolloutInProduction, strategy, production)).to.deep.equal([
        "deployment duration is 0 minutes; spread a production rollout over at least 1.",
      ]);
      strategy.props.deploymentDurationInMinutes = 1;
      expect(await violationsOf(noAllAtOnceRolloutInProduction, strategy, production)).to.deep.equal([]);
    });

    it("treats a stage as not production when config does not say", async () => {
      const strategy = getHappyPathArgs();
      strategy.props.growthFactor = 100;
      strategy.props.deploymentDurationInMinutes = 0;
      expect(await violationsOf(noAllAtOnceRolloutInProduction, strategy)).to.deep.equal([]);
    });

    it("uses the configured shortest deployment", async () => {
      expect(await violationsOf(noAllAtOnceRolloutInProduction, getHappyPathArgs(), { ...production, minDeploymentMinutes: 60 })).to.deep.equal([
        "deployment duration is 30 minutes; spread a production rollout over at least 60.",
      ]);
    });

    const deploymentWith = (deploymentStrategyId: string): ResourceUnderTest => ({
      type: "aws:appconfig/deployment:Deployment",
      name: "checkout",
      props: { applicationId: "a", configurationProfileId: "p", configurationVersion: "1", environmentId: "e", deploymentStrategyId },
    });

    it("rejects a deployment with AWS's predefined all-at-once strategy", async () => {
      expect(await violationsOf(noAllAtOnceRolloutInProduction, deploymentWith("AppConfig.AllAtOnce"), production)).to.deep.equal([
        "deployment uses AppConfig.AllAtOnce; use the stage's gradual deployment strategy.",
      ]);
    });

    it("passes at preview a deployment whose strategy the stack creates, its id not known until the update", async () => {
      expect(await violationsOf(noAllAtOnceRolloutInProduction, deploymentWith(UNKNOWN_AT_PREVIEW), production)).to.deep.equal([]);
    });

    it("passes a deployment with a gradual predefined or the stage's own strategy", async () => {
      for (const id of ["AppConfig.Linear50PercentEvery30Seconds", "abc1234"]) {
        expect(await violationsOf(noAllAtOnceRolloutInProduction, deploymentWith(id), production), id).to.deep.equal([]);
      }
    });

    it("allows an all-at-once deployment outside production, and when config does not say", async () => {
      expect(await violationsOf(noAllAtOnceRolloutInProduction, deploymentWith("AppConfig.AllAtOnce"), { production: false })).to.deep.equal([]);
      expect(await violationsOf(noAllAtOnceRolloutInProduction, deploymentWith("AppConfig.AllAtOnce"))).to.deep.equal([]);
      const strategy = getHappyPathArgs();
      strategy.props.growthFactor = 100;
      expect(await violationsOf(noAllAtOnceRolloutInProduction, strategy)).to.deep.equal([]);
    });

    it("allows all at once outside production", async () => {
      const strategy = getHappyPathArgs();
      strategy.props.growthFactor = 100;
      expect(await violationsOf(noAllAtOnceRolloutInProduction, strategy, { production: false })).to.deep.equal([]);
    });
  });
});
