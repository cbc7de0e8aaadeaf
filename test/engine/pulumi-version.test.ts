import { expect } from "chai";
import { CLI_FEATURES, compareVersions, MINIMUM_PULUMI_VERSION, missingFeatures } from "../../cli/engine/pulumi-version";

describe("the Pulumi CLI versions dcp works with", () => {
  it("compares versions part by part, as numbers", () => {
    expect(compareVersions("3.131.0", "3.105.0")).to.equal(1);
    expect(compareVersions("3.105.0", "3.131.0")).to.equal(-1);
    expect(compareVersions("3.9.0", "3.10.0")).to.equal(-1);
    expect(compareVersions("4.0.0", "3.999.999")).to.equal(1);
    expect(compareVersions("3.131.2", "3.131.10")).to.equal(-1);
    expect(compareVersions("3.131.0", "3.131.0")).to.equal(0);
  });

  it("reads a leading v, ignores a pre-release or build suffix, and takes missing parts as 0", () => {
    expect(compareVersions("v3.131.0", "3.131.0")).to.equal(0);
    expect(compareVersions("3.131.0-alpha.1+dev", "3.131.0")).to.equal(0);
    expect(compareVersions("3.131.0+dirty", "3.131.0")).to.equal(0);
    expect(compareVersions("3.131", "3.131.0")).to.equal(0);
    expect(compareVersions("3.131.0", "3.131")).to.equal(0);
  });

  it("answers -1, 0 or 1 however far apart the versions are", () => {
    expect(compareVersions("3.200.0", "3.100.0")).to.equal(1);
    expect(compareVersions("3.100.0", "3.200.0")).to.equal(-1);
  });

  it("lists what an older CLI lacks, oldest first, and nothing for the minimum or newer", () => {
    expect(missingFeatures("3.110.0").map((entry) => entry.version)).to.deep.equal(["3.120.0", "3.131.0"]);
    expect(missingFeatures("3.120.0").map((entry) => entry.version)).to.deep.equal(["3.131.0"]);
    expect(missingFeatures(MINIMUM_PULUMI_VERSION)).to.deep.equal([]);
    expect(missingFeatures("3.248.0")).to.deep.equal([]);
  });

  it("lists the features oldest first, so that the last one's release is the minimum", () => {
    const versions = CLI_FEATURES.map((entry) => entry.version);
    expect(versions).to.deep.equal([...versions].sort(compareVersions));
    expect(MINIMUM_PULUMI_VERSION).to.equal("3.131.0");
  });
});
