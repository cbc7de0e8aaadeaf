import { expect } from "chai";
import type { FlagMatrix } from "../../cli/flags/matrix";
import { renderFlagMatrixHtml } from "../../cli/ui/flags-html";
import { renderFlagMatrix } from "../../cli/ui/flags-view";

const matrix: FlagMatrix = {
  stages: ["beta", "prod"],
  today: "2026-11-25",
  staleDays: 30,
  deployed: true,
  flags: [
    {
      key: "one-page-checkout",
      description: "Single-page <checkout> & more",
      owner: "team-checkout",
      setBy: ["beta", "prod"],
      cells: [
        { stage: "beta", regions: ["us-west-2"], wanted: { enabled: true, rolloutPercent: 100 }, deployed: { enabled: true, rolloutPercent: 100 }, unfinished: true },
        { stage: "prod", regions: ["us-east-1"], wanted: { enabled: true, rolloutPercent: 10 }, deployed: { enabled: true, rolloutPercent: 5 } },
        { stage: "prod", regions: ["eu-west-1"], wanted: { enabled: true, rolloutPercent: 10 }, deployed: null },
      ],
      marks: [],
    },
    {
      key: "apple-pay",
      description: "Apple Pay",
      owner: "team-payments",
      expires: "2026-01-01",
      setBy: ["beta", "prod"],
      cells: [
        { stage: "beta", regions: ["us-west-2"], wanted: { enabled: true }, deployed: { enabled: true } },
        { stage: "prod", regions: ["us-east-1", "eu-west-1"], wanted: { enabled: true }, deployed: { enabled: true } },
      ],
      marks: ["expired", "removal-candidate"],
      unchangedSince: "2026-09-01T00:00:00.000Z",
    },
  ],
};

describe("the flag matrix views", () => {
  it("shows one line per flag with each stage's value, the regions only where a stage's differ, and what is live where it is not what envs/ wants", () => {
    const text = renderFlagMatrix(matrix);
    const line = (key: string) => text.split("\n").find((l) => l.startsWith(key)) ?? "";
    expect(line("one-page-checkout")).to.include("on rolloutPercent=100 (live, and a later update did not finish)").and.include("us-east-1: on rolloutPercent=10 (live: on rolloutPercent=5) | eu-west-1: on rolloutPercent=10 (never released)");
    expect(line("apple-pay")).to.include("2026-01-01").and.include("expired, removal candidate").and.not.include("us-east-1");
    expect(text).to.include("2 flags; marked expired 1, removal candidate 1, enabled nowhere 0, no stage sets it 0");
  });

  it("writes a page that needs nothing from the network, with each row's owner and marks for the filters", () => {
    const html = renderFlagMatrixHtml(matrix, "storefront: feature flags");
    expect(html).not.to.match(/\b(src|href)=|@import|url\(|https?:/);
    expect(html).to.include('<tr data-flag="apple-pay" data-owner="team-payments" data-marks="expired removal-candidate">');
    expect(html).to.include("Single-page &lt;checkout&gt; &amp; more");
    expect(html).to.include('<option value="team-checkout">team-checkout</option>').and.include('<option value="expired">expired (1)</option>');
  });
});
