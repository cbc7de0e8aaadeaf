import { expect } from "chai";
import { revealSecrets } from "../../../cli/offline/evaluate";
import type { RecordedResource, RecordedStack } from "../../../cli/offline/recorded-resource";
import { featureFlagsViolations } from "../../../infra/appconfig/feature-flags-rules";
import type { FeatureFlagsDocument } from "../../../infra/appconfig/feature-flags";
import { componentSchema, pipelineFlags, stageFile } from "../sample-files";
import { CHECKED_STACKS, TYPES, recordedSample, resourcesOfType, sampleStack } from "../sample-stacks";

function byName(stack: RecordedStack, type: string, name: string): RecordedResource {
  const found = resourcesOfType(stack, type).find((resource) => resource.name === name);
  if (found === undefined) throw new Error(`${stack.stack} has no ${type} named ${name}`);
  return found;
}

/** The hosted version of a profile: one per content, named `<profile>-<content hash>`. */
function hostedVersion(stack: RecordedStack, profile: string): RecordedResource {
  const found = resourcesOfType(stack, TYPES.hostedVersion).filter((resource) => resource.name.startsWith(`${profile}-`));
  if (found.length !== 1) throw new Error(`${stack.stack} has ${found.length} hosted versions of ${profile}`);
  return found[0]!;
}

function hostedContent(stack: RecordedStack, profile: string): unknown {
  // The provider marks hosted content secret; the record keeps it wrapped as the engine would.
  return JSON.parse(String(revealSecrets(hostedVersion(stack, profile).inputs.content)));
}

for (const name of CHECKED_STACKS) {
  describe(`the AppConfig profiles of ${name}`, () => {
    it("hold the flags in one AWS.AppConfig.FeatureFlags profile, hosted by AppConfig", async () => {
      const profile = byName(await recordedSample(name), TYPES.profile, "feature-flags");
      expect(profile.inputs).to.include({ type: "AWS.AppConfig.FeatureFlags", locationUri: "hosted", name: "feature-flags" });
      expect(profile.inputs.tags).to.deep.equal({ profile: "feature-flags" });
    });

    it("render the flag catalogue of pipeline.yaml and the stage's values in AppConfig's format", async () => {
      const { config } = await sampleStack(name);
      const flags = hostedContent(await recordedSample(name), "feature-flags") as FeatureFlagsDocument;
      const catalogue = pipelineFlags();
      const values = stageFile(config.stage).flags;
      expect(flags.version).to.equal("1");
      expect(Object.keys(flags.flags)).to.have.members(Object.keys(catalogue));
      for (const [key, declaration] of Object.entries(catalogue)) {
        expect(flags.flags[key]?.description, key).to.equal(declaration.description);
        expect(Object.keys(flags.flags[key]?.attributes ?? {}), key).to.have.members(Object.keys(declaration.attributes ?? {}));
      }
      expect(flags.values).to.deep.equal(values);
      expect(flags.flags["one-page-checkout"]?.attributes?.rolloutPercent?.constraints).to.deep.equal({
        type: "number",
        minimum: 0,
        maximum: 100,
        required: true,
      });
      expect(flags.flags["search-v2"]?.attributes?.boostCategories?.constraints).to.deep.equal({
        type: "array",
        elements: { type: "string" },
      });
    });

    it("render a flags document AppConfig's feature-flag rules accept", async () => {
      const flags = hostedContent(await recordedSample(name), "feature-flags");
      expect(featureFlagsViolations(flags)).to.deep.equal([]);
    });

    it("give each component a freeform profile whose JSON_SCHEMA validator is its schema from envs/schemas", async () => {
      const { config } = await sampleStack(name);
      const stack = await recordedSample(name);
      const components = Object.keys(stageFile(config.stage).config);
      const freeform = resourcesOfType(stack, TYPES.profile).filter((profile) => profile.inputs.type === "AWS.Freeform");
      expect(freeform.map((profile) => profile.inputs.name)).to.have.members(components);
      for (const component of components) {
        const profile = byName(stack, TYPES.profile, component);
        expect(profile.inputs.locationUri).to.equal("hosted");
        expect(profile.inputs.tags).to.deep.equal({ profile: component });
        const validators = profile.inputs.validators as { type: string; content: string }[];
        expect(validators, component).to.have.length(1);
        expect(validators[0]?.type).to.equal("JSON_SCHEMA");
        expect(JSON.parse(validators[0]?.content ?? "null"), component).to.deep.equal(componentSchema(component));
      }
    });

    it("host each component's operational config of the stage as JSON", async () => {
      const { config } = await sampleStack(name);
      const stack = await recordedSample(name);
      for (const [component, expected] of Object.entries(stageFile(config.stage).config)) {
        expect(hostedContent(stack, component), component).to.deep.equal(expected);
      }
    });

    it("host every version as application/json in its own profile, and keep it when replaced", async () => {
      const stack = await recordedSample(name);
      const profileIds = stack.outputs.profileIds as Record<string, string>;
      const hashes = stack.outputs.contentHashes as Record<string, string>;
      for (const profile of Object.keys(profileIds)) {
        const version = hostedVersion(stack, profile);
        expect(version.inputs.contentType).to.equal("application/json");
        expect(version.inputs.configurationProfileId).to.equal(profileIds[profile]);
        expect(version.inputs.applicationId).to.equal(stack.outputs.applicationId);
        expect(version.retainOnDelete, profile).to.equal(true);
        expect(version.name, profile).to.equal(`${profile}-${hashes[profile]!.slice(0, 12)}`);
      }
    });

    it("never diff a hosted version's content: new content is a new version, and AWS's timestamps in unchanged flags replace nothing", async () => {
      const stack = await recordedSample(name);
      for (const version of resourcesOfType(stack, TYPES.hostedVersion)) {
        expect(version.ignoreChanges, version.name).to.deep.equal(["content"]);
      }
    });
  });
}
