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
