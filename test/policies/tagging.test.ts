import { expect } from "chai";
import { requiredTags } from "../../policies/tagging";
import { violationsOf, type ResourceUnderTest } from "./harness";

const defaultTags = { workload: "storefront", stage: "prod", region: "us-east-1", "managed-by": "dcp", "release-id": "0123456789ab" };

/** As the engine sees the AWS provider: object-valued inputs arrive as JSON text. */
function getHappyPathArgs(): ResourceUnderTest {
  return {
    type: "aws:appconfig/application:Application",
    name: "storefront",
    props: { name: "storefront" },
    providerProps: { region: "us-east-1", defaultTags: JSON.stringify({ tags: defaultTags }) },
  };
}

describe("tagging policies", () => {
  describe("required-tags", () => {
    it("passes a resource that inherits every required tag from the provider's default tags", async () => {
      expect(await violationsOf(requiredTags, getHappyPathArgs())).to.deep.equal([]);
    });

    it("reads default tags given as an object, too", async () => {
      const resource = getHappyPathArgs();
      resource.providerProps = { defaultTags: { tags: defaultTags } };
      expect(await violationsOf(requiredTags, resource)).to.deep.equal([]);
    });

    it("passes a resource carrying the tags itself, with no provider defaults", async () => {
      const resource = getHappyPathArgs();
      delete resource.providerProps;
      resource.props.tags = defaultTags;
      expect(await violationsOf(requiredTags, resource)).to.deep.equal([]);
    });

    it("rejects a taggable resource without the required tags", async () => {
      const resource = getHappyPathArgs();
      delete resource.providerProps;
      expect(await violationsOf(requiredTags, resource)).to.deep.equal([
        "missing tags workload, stage, region, managed-by (set them on the resource or as the provider's defaultTags).",
      ]);
    });

    it("rejects a required tag a resource blanks out over the provider's default", async () => {
      const resource = getHappyPathArgs();
      resource.props.tags = { stage: "" };
      expect((await violationsOf(requiredTags, resource))[0]).to.match(/^missing tags stage /);
    });

    it("rejects a tag whose value is wrong for the stage", async () => {
      const resource = getHappyPathArgs();
      resource.props.tags = { stage: "gamma" };
      expect(await violationsOf(requiredTags, resource, { expectedValues: { stage: "prod" } })).to.deep.equal([
        'tag stage is "gamma", expected "prod" in this stage.',
      ]);
    });

    it("checks the configured tag keys", async () => {
      expect(await violationsOf(requiredTags, getHappyPathArgs(), { requiredTags: ["cost-centre"] })).to.deep.equal([
        "missing tags cost-centre (set them on the resource or as the provider's defaultTags).",
      ]);
    });

    it("checks every type of resource dcp declares with tags", async () => {
      const types = [
        "aws:appconfig/application:Application",
        "aws:appconfig/environment:Environment",
        "aws:appconfig/configurationProfile:ConfigurationProfile",
        "aws:appconfig/deploymentStrategy:DeploymentStrategy",
        "aws:appconfig/deployment:Deployment",
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        "aws:sns/topic:Topic",
        "aws:iam/role:Role",
      ];
      for (const type of types) expect(await violationsOf(requiredTags, { type, name: "x", props: {} }), type).to.have.length(1);
    });

    it("checks any other resource that has tags", async () => {
      const bucket: ResourceUnderTest = { type: "aws:s3/bucket:Bucket", name: "exports", props: { tags: { workload: "storefront" } } };
      expect(await violationsOf(requiredTags, bucket)).to.deep.equal([
        "missing tags stage, region, managed-by (set them on the resource or as the provider's defaultTags).",
      ]);
    });

    it("checks the configured types", async () => {
      const queue: ResourceUnderTest = { type: "aws:sqs/queue:Queue", name: "orders", props: {} };
      expect(await violationsOf(requiredTags, queue, { taggableTypes: ["aws:sqs/queue:Queue"] })).to.have.length(1);
      expect(await violationsOf(requiredTags, { ...queue, type: "aws:appconfig/application:Application" }, { taggableTypes: ["aws:sqs/queue:Queue"] })).to.deep.equal([]);
    });

    it("reads the tags AWS reports (tagsAll) as well as the resource's own", async () => {
      const resource = getHappyPathArgs();
      delete resource.providerProps;
      resource.props.tagsAll = defaultTags;
      expect(await violationsOf(requiredTags, resource)).to.deep.equal([]);
    });

    it("ignores tag values that are not text, and provider defaults it cannot read", async () => {
      const resource = getHappyPathArgs();
      resource.props.tags = { ...defaultTags, stage: 7 };
      resource.providerProps = { defaultTags: "{not json" };
      expect(await violationsOf(requiredTags, resource)).to.deep.equal([
        "missing tags stage (set them on the resource or as the provider's defaultTags).",
      ]);
      for (const defaults of [JSON.stringify(["workload"]), JSON.stringify({ tags: "workload" }), 42]) {
        resource.providerProps = { defaultTags: defaults };
        expect(await violationsOf(requiredTags, resource), JSON.stringify(defaults)).to.have.length(1);
      }
    });

    it("takes a blank tag for a missing one", async () => {
      const resource = getHappyPathArgs();
      resource.props.tags = { "managed-by": "  " };
      expect(await violationsOf(requiredTags, resource)).to.deep.equal([
        "missing tags managed-by (set them on the resource or as the provider's defaultTags).",
      ]);
    });

    it("passes tags that have the values expected in the stage, and leaves a missing one to the missing-tags message", async () => {
      expect(await violationsOf(requiredTags, getHappyPathArgs(), { expectedValues: { stage: "prod", workload: "storefront" } })).to.deep.equal([]);
      expect(await violationsOf(requiredTags, getHappyPathArgs(), { expectedValues: { "cost-centre": "retail" } })).to.deep.equal([]);
    });

    it("does not apply to resources that cannot be tagged", async () => {
      const version: ResourceUnderTest = {
        type: "aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion",
        name: "checkout",
        props: { content: "{}", contentType: "application/json" },
      };
      expect(await violationsOf(requiredTags, version)).to.deep.equal([]);
    });
  });
});
