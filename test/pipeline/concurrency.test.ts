import { expect } from "chai";
import { messageOf, rejections, settleBounded } from "../../cli/pipeline/concurrency";

describe("running a wave's stacks with bounded concurrency", () => {
  it("settles every item, in item order, the failed ones with their reason", async () => {
    const results = await settleBounded(["a", "b", "c"], 2, async (item) => {
      if (item === "b") throw new Error("b failed");
      return item.toUpperCase();
    });

    expect(results).to.deep.equal([
      { status: "fulfilled", value: "A" },
      { status: "rejected", reason: new Error("b failed") },
      { status: "fulfilled", value: "C" },
    ]);
    expect(rejections(results).map(messageOf)).to.deep.equal(["b failed"]);
  });

  it("starts the items in order and never runs more than the limit at once", async () => {
    const started: string[] = [];
    let running = 0;
    let most = 0;

    await settleBounded(["a", "b", "c", "d", "e"], 2, async (item) => {
      started.push(item);
      most = Math.max(most, ++running);
      await new Promise((resolve) => setImmediate(resolve));
      running--;
    });

    expect(started).to.deep.equal(["a", "b", "c", "d", "e"]);
    expect(most).to.equal(2);
  });

  it("settles nothing when there is nothing to run", async () => {
    expect(await settleBounded([], 3, async () => "never")).to.deep.equal([]);
  });

  it("says what failed, whether an Error or anything else was thrown", () => {
    expect(messageOf(new Error("Rate exceeded"))).to.equal("Rate exceeded");
    expect(messageOf("socket hang up")).to.equal("socket hang up");
  });
});
