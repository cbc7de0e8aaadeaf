import { expect } from "chai";
import { findRelease, previousRelease, stackHistories } from "../../cli/pipeline/history";
import type { Engine, ReleaseRecord } from "../../cli/pipeline/ports";
import type { StackConfig } from "../../cli/config/model";

function record(version: number, kind: string, releaseId: string): ReleaseRecord {
  const config = { metadata: { releaseId } } as unknown as StackConfig;
  return { version, kind, result: "succeeded", startedAt: new Date(Date.UTC(2026, 10, version)), environment: {}, config };
}

describe("the release ledger in a stack's history", () => {
  // Newest first, as the engine answers: a refresh recorded a StackConfig that was only previewed.
  const history = [record(3, "refresh", "previewed0000"), record(2, "update", "current00000"), record(1, "update", "earlier00000")];

  it("never takes a refresh for a release to roll back to", () => {
    expect(previousRelease(history, "current00000")?.version).to.equal(1);
    expect(findRelease(history, "previewed0000")).to.equal(undefined);
  });

  it("shows only updates in `dcp history`", async () => {
    const engine = { history: async () => history } as unknown as Engine;
    const [shown] = await stackHistories([{ name: "prod-us-east-1", stage: "prod", region: "us-east-1" }], engine);
    expect(shown!.entries.map((entry) => entry.version)).to.deep.equal([2, 1]);
  });

  it("shows the updates of one release run, which deploy its profiles one at a time, as one entry from the first's start", async () => {
    const run = (version: number, releaseId: string, releasedAt: string): ReleaseRecord => ({
      ...record(version, "update", releaseId),
      config: { metadata: { releaseId, releasedAt } } as unknown as StackConfig,
    });
    const engine = {
      history: async () => [
        run(5, "second000000", "2026-11-04T00:00:00.000Z"),
        run(4, "second000000", "2026-11-04T00:00:00.000Z"),
        run(3, "first0000000", "2026-11-02T00:00:00.000Z"),
        run(2, "first0000000", "2026-11-02T00:00:00.000Z"),
        run(1, "first0000000", "2026-11-01T00:00:00.000Z"),
      ],
    } as unknown as Engine;
    const [shown] = await stackHistories([{ name: "prod-us-east-1", stage: "prod", region: "us-east-1" }], engine);
    expect(shown!.entries.map((e) => [e.version, e.releaseId, e.startedAt.getUTCDate()])).to.deep.equal([
      [5, "second000000", 4],
      [3, "first0000000", 2],
      [1, "first0000000", 1],
    ]);
  });
});
