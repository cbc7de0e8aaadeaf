import { expect } from "chai";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "../browser/chromium";
import { ScratchRepo } from "../harness/scratch-repo";
import { world } from "../harness/world";

/**
 * `dcp flags --html` on the real engine, the page read in a real browser: a one-stage
 * workload released once, so the removal candidates come from the backend's history.
 */
describe("dcp flags --html, opened in headless Chromium", () => {
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];

  before(async () => {
    const repo = ScratchRepo.create(await world(), "flags-page");
    repo.editFile("envs/pipeline.yaml", (text) =>
      text
        .replace(/^stages: .*$/m, "stages: [beta]")
        .concat("  spring-sale-2025:\n    description: Spring sale banner\n    owner: team-growth\n    components: [checkout]\n    expires: 2025-06-01\n"),
    );
    repo.git("rm", "--quiet", "envs/gamma.yaml", "envs/prod.yaml");
    repo.commit("one stage, and a flag long past its expiry that no stage sets");
    const release = await repo.dcp(["release", "--to", "beta", "--json"]);
    expect(release.status, release.stderr + release.stdout).to.equal(0);
    const run = await repo.dcp(["flags", "--stale-days", "0", "--deployed", "--html", "flags.html"]);
    expect(run.status, run.stderr + run.stdout).to.equal(0);

    browser = await launchChromium();
    page = await browser.newPage();
    page.on("request", (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(join(repo.dir, "flags.html")).href);
  });

  after(async () => browser?.close());

  const visibleFlags = () => page.locator("tbody tr:visible").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-flag")));
  const marksOf = (flag: string) => page.locator(`tr[data-flag="${flag}"] .mark`).allInnerTexts();

  it("shows every catalogued flag with its owner, beta's value and its marks, fetching nothing", async () => {
    expect(await visibleFlags()).to.deep.equal(["one-page-checkout", "apple-pay", "legacy-cart-fallback", "spring-sale-2025"]);
    expect(await page.locator('tr[data-flag="one-page-checkout"] td').nth(1).innerText()).to.equal("team-checkout");
    expect(await page.locator('tr[data-flag="one-page-checkout"] td').nth(2).innerText()).to.equal("on rolloutPercent=100");
    // Released once, on and unchanged on the only stack: candidates at --stale-days 0.
    expect(await marksOf("apple-pay")).to.deep.equal(["removal candidate"]);
    expect(await marksOf("legacy-cart-fallback")).to.deep.equal(["enabled nowhere"]);
    expect(await marksOf("spring-sale-2025")).to.deep.equal(["expired", "enabled nowhere", "no stage sets it"]);
    expect(requests.filter((url) => !url.startsWith("file:"))).to.deep.equal([]);
  });

  it("hides the other owners' flags when filtered by owner", async () => {
    await page.selectOption("#owner", "team-checkout");
    expect(await visibleFlags()).to.deep.equal(["one-page-checkout", "legacy-cart-fallback"]);
    expect(await page.locator("#shown").innerText()).to.equal("2 of 4 flags shown");
    await page.selectOption("#owner", "");
  });

  it("hides the flags without the mark when filtered by mark, and combines both filters", async () => {
    await page.selectOption("#mark", "enabled-nowhere");
    expect(await visibleFlags()).to.deep.equal(["legacy-cart-fallback", "spring-sale-2025"]);
    await page.selectOption("#owner", "team-growth");
    expect(await visibleFlags()).to.deep.equal(["spring-sale-2025"]);
    await page.selectOption("#mark", "removal-candidate");
    expect(await visibleFlags()).to.deep.equal([]);
  });
});
