import { expect } from "chai";
import { changedProfiles, renderProfileContents } from "../../../infra/appconfig/profile-contents";
import { sampleConfig } from "../sample-stacks";

describe("the profile contents of a stack", () => {
  it("are the flags, then one document per component, in the order of pipeline.yaml", async () => {
    const profiles = renderProfileContents(await sampleConfig("beta-us-west-2"), "2026-06-01");
    expect(profiles.map((profile) => [profile.name, profile.type])).to.deep.equal([
      ["feature-flags", "AWS.AppConfig.FeatureFlags"],
      ["checkout", "AWS.Freeform"],
      ["payments", "AWS.Freeform"],
      ["catalog", "AWS.Freeform"],
    ]);
    expect(profiles[0]?.validatorSchema).to.equal(undefined);
  });

  it("do not change when a YAML file only reorders its keys, so no deployment starts for nothing", async () => {
    const config = await sampleConfig("gamma-us-east-1");
    const reordered = structuredClone(config);
    const checkout = reordered.components.checkout;
    if (checkout === undefined) throw new Error("the sample has no checkout component");
    checkout.config = Object.fromEntries(Object.entries(checkout.config).reverse());
    const hashes = (c: typeof config) => renderProfileContents(c, "2026-06-01").map((profile) => profile.hash);
    expect(hashes(reordered)).to.deep.equal(hashes(config));
  });

  it("mark the sample's holiday banner for deprecation once a release is dated after its expiry", async () => {
    const config = await sampleConfig("prod-us-east-1");
    const flagsOn = (asOf: string) =>
      JSON.parse(renderProfileContents(config, asOf)[0]?.content ?? "{}") as { flags: Record<string, { _deprecation?: unknown }> };
    expect(flagsOn("2027-01-14").flags["holiday-banner-2026"]).not.to.have.property("_deprecation");
    expect(flagsOn("2027-01-15").flags["holiday-banner-2026"]?._deprecation).to.deep.equal({ status: "planned" });
  });

  it("refuse flags AppConfig would reject, naming the stage and the rule", async () => {
    const config = await sampleConfig("prod-us-east-1");
    const sampleRate = config.flags["fraud-score-shadow"]?.declaration.attributes?.sampleRate;
    if (sampleRate === undefined) throw new Error("the sample's fraud-score-shadow flag has no sampleRate");
    sampleRate.maximum = 0.5;
    expect(() => renderProfileContents(config, "2026-06-01")).to.throw(/the feature flags of prod break AppConfig's rules/);
  });
});

describe("the profiles to deploy", () => {
  const profiles = [
    { name: "feature-flags", type: "AWS.AppConfig.FeatureFlags" as const, content: "{}", hash: "h1" },
    { name: "checkout", type: "AWS.Freeform" as const, content: "{}", hash: "h2" },
  ];

  it("are all of them when nothing is known to be deployed", () => {
    expect(changedProfiles(profiles)).to.deep.equal(profiles);
  });

  it("are those whose content hash differs from what the stack runs", () => {
    expect(changedProfiles(profiles, { "feature-flags": "h1", checkout: "old" })).to.deep.equal([profiles[1]]);
    expect(changedProfiles(profiles, { "feature-flags": "h1", checkout: "h2" })).to.deep.equal([]);
  });
});
