import { expect } from "chai";
import { bakeSessionName, runId } from "../../cli/health/session-name";

describe("the bake's role session name", () => {
  it("carries the GitHub Actions run and attempt, so CloudTrail leads back to the run", () => {
    expect(bakeSessionName("storefront", runId({ GITHUB_RUN_ID: "8123456789", GITHUB_RUN_ATTEMPT: "2" }))).to.equal("dcp-storefront-bake-gh8123456789.2");
  });

  it("counts a GitHub Actions run without an attempt number as its first attempt", () => {
    expect(runId({ GITHUB_RUN_ID: "8123456789" })).to.equal("gh8123456789.1");
  });

  it("carries the run of GitLab, CodeBuild, Buildkite or Jenkins, each told apart by a prefix", () => {
    expect(runId({ CI_PIPELINE_ID: "987654321" })).to.equal("gl987654321");
    expect(runId({ CODEBUILD_BUILD_NUMBER: "77" })).to.equal("cb77");
    expect(runId({ BUILDKITE_BUILD_NUMBER: "1203" })).to.equal("bk1203");
    expect(runId({ BUILD_NUMBER: "311" })).to.equal("jk311");
  });

  it("carries this process outside CI", () => {
    expect(bakeSessionName("storefront", runId({}, 4242))).to.equal("dcp-storefront-bake-local4242");
  });

  it("stays within STS's 64 characters of [\\w+=,.@-] and keeps the run id whole when the workload is long", () => {
    const name = bakeSessionName("a".repeat(60), runId({ CI_PIPELINE_ID: "987654321" }));
    expect(name).to.have.length(64);
    expect(name).to.match(/^[\w+=,.@-]+-bake-gl987654321$/);
    expect(bakeSessionName("shop", "run/with spaces")).to.equal("dcp-shop-bake-run-with-spaces");
  });

  it("stays within 64 characters when the run id alone is longer, still naming dcp and the workload's first letter", () => {
    const name = bakeSessionName("storefront", "r".repeat(100));
    expect(name).to.equal(`dcp-s-bake-${"r".repeat(53)}`);
    expect(name).to.have.length(64);
  });
});
