import { expect } from "chai";
import { bakeSessionName, runId } from "../../cli/health/session-name";

describe("the bake's role session name", () => {
  it("carries the GitHub Actions run and attempt, so CloudTrail leads back to the run", () => {
    expect(bakeSessionName("storefront", runId({ GITHUB_RUN_ID: "8123456789", GITHUB_RUN_ATTEMPT: "2" }))).to.equal("dcp-storefront-bake-gh8123456789.2");
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
});
