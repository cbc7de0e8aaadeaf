import { expect } from "chai";
import {
  entryOf,
  findRelease,
  heldRelease,
  positionOf,
  previousRelease,
  releaseIdOfRecord,
  releaseRunOf,
  releaseUpdate,
  rolledBackFrom,
  stackHistories,
  standingOf,
} from "../../cli/pipeline/history";
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

interface UpdateOptions {
  result?: ReleaseRecord["result"];
  releasedAt?: string;
  bakedAt?: string;
  reason?: string;
  kind?: string;
  releasedBy?: string;
  gitCommit?: string;
  ci?: string;
}

/** An update dcp made, applying `releaseId`: newest first in the lists below, as the engine answers. */
function update(version: number, releaseId: string, options: UpdateOptions = {}): ReleaseRecord {
  const { result = "succeeded", kind = "update", ...metadata } = options;
  const config = { metadata: { releaseId, ...metadata } } as unknown as StackConfig;
  return { version, kind, result, startedAt: new Date(Date.UTC(2026, 10, version)), environment: {}, config };
}

/** An update made by something other than dcp: no StackConfig. */
function foreign(version: number, result: ReleaseRecord["result"] = "succeeded"): ReleaseRecord {
  return { version, kind: "update", result, startedAt: new Date(Date.UTC(2026, 10, version)), environment: {} };
}

const N = "000000000004";
const P = "000000000002";
const O = "000000000001";

describe("what a stack's ledger says it can return to", () => {
  it("returns to the newest successful update dcp made of another release, passing over failed updates and updates dcp did not make", () => {
    const history = [update(4, N), update(3, "000000000003", { result: "failed" }), foreign(2), update(1, P)];
    expect(previousRelease(history, N)?.version).to.equal(1);
  });

  it("has nothing to return to for a stack that holds no release", () => {
    expect(previousRelease([update(1, P)], undefined)).to.equal(undefined);
  });

  it("finds the newest successful update of a release", () => {
    const history = [update(3, N), update(2, P, { result: "failed" }), update(1, P)];
    expect(findRelease(history, P)?.version).to.equal(1);
    expect(findRelease(history, N)?.version).to.equal(3);
  });

  it("matches the other stacks of `--to` on the release run, when they ran other release ids of it", () => {
    const canary = [update(3, N, { releasedAt: "2026-11-04T00:00:00.000Z" }), update(2, P, { releasedAt: "2026-11-02T00:00:00.000Z" })];
    const other = [update(3, "00000000000a", { releasedAt: "2026-11-04T00:00:00.000Z" }), update(2, "00000000000b", { releasedAt: "2026-11-02T00:00:00.000Z" })];
    const pick = releaseRunOf(P, [canary, other]);
    expect(pick?.(canary)?.version).to.equal(2);
    expect(releaseIdOfRecord(pick!(other)!)).to.equal("00000000000b");
    expect(releaseRunOf("0123456789ab", [canary, other])).to.equal(undefined);
  });

  it("matches no other stack's update on the run of a release recorded without its time", () => {
    const canary = [update(3, N), update(2, P)];
    const other = [update(3, "00000000000a"), update(2, "00000000000b")];
    expect(releaseRunOf(P, [canary, other])?.(other)).to.equal(undefined);
  });

  it("takes the newest successful update for the applied one, and the failed ones since as unfinished", () => {
    const history = [update(5, N, { kind: "refresh" }), update(4, N, { result: "failed" }), foreign(3, "failed"), update(2, P), update(1, O)];
    const position = positionOf(history);
    expect(position.applied?.version).to.equal(2);
    expect(position.unfinished.map((r) => r.version)).to.deep.equal([4]);
  });

  it("counts every failed update as unfinished when none ever succeeded, and has no applied update then", () => {
    expect(positionOf([update(2, N, { result: "failed" }), update(1, N, { result: "failed" })]).unfinished.map((r) => r.version)).to.deep.equal([2, 1]);
    expect(positionOf([])).to.deep.equal({ unfinished: [] });
  });

  it("does not count a failed record of a bake as unfinished: it changed nothing", () => {
    const history = [update(3, N, { result: "failed", bakedAt: "2026-11-03T00:00:00.000Z" }), update(2, N), update(1, P)];
    expect(positionOf(history).unfinished).to.deep.equal([]);
  });

  describe("the release a stack holds", () => {
    it("is the one last applied when nothing was attempted since", () => {
      expect(heldRelease(positionOf([update(2, N), update(1, P)]))).to.equal(N);
    });

    it("is the one an unfinished release was rolling out", () => {
      expect(heldRelease(positionOf([update(3, N, { result: "failed" }), update(2, P)]))).to.equal(N);
    });

    it("is the one an unfinished rollback was leaving", () => {
      expect(heldRelease(positionOf([update(3, P, { result: "failed", reason: `rollback from ${N} to ${P}` }), update(2, N), update(1, P)]))).to.equal(N);
    });

    it("is the one last applied when an unfinished rollback of a stack that held nothing named none", () => {
      expect(heldRelease(positionOf([update(3, P, { result: "failed", reason: `rollback to ${P}` }), update(2, N)]))).to.equal(N);
    });

    it("takes a release whose free-text reason only mentions a rollback for what it is: a release", () => {
      const mentions = [`INC-7: re-release after rollback to ${P}`, `rollback to ${P}, then this`, `see the rollback from ${N} to ${P}`, `rollback from ${N} to ${P} undone`];
      for (const reason of mentions) {
        const position = positionOf([update(3, O, { result: "failed", reason }), update(2, N)]);
        expect(heldRelease(position), reason).to.equal(O);
        expect(rolledBackFrom(position.unfinished[0]), reason).to.equal(undefined);
      }
    });

    it("names the release a rollback left", () => {
      expect(rolledBackFrom(update(3, P, { reason: `rollback from ${N} to ${P}` }))).to.equal(N);
      expect(rolledBackFrom(update(3, P, { reason: `rollback to ${P}` }))).to.equal(undefined);
      expect(rolledBackFrom(undefined)).to.equal(undefined);
    });
  });

  describe("where a stack stands with a release", () => {
    it("has baked it once its last update recorded the bake", () => {
      expect(standingOf(positionOf([update(3, N, { bakedAt: "2026-11-03T00:00:00.000Z" }), update(2, N)]), N)).to.equal("baked");
    });

    it("runs it unbaked until then", () => {
      expect(standingOf(positionOf([update(2, N)]), N)).to.equal("unbaked");
    });

    it("still needs the update while one attempted since has not finished, or it runs another release", () => {
      expect(standingOf(positionOf([update(3, N, { result: "failed" }), update(2, N, { bakedAt: "2026-11-03T00:00:00.000Z" })]), N)).to.equal("pending");
      expect(standingOf(positionOf([update(2, P)]), N)).to.equal("pending");
    });
  });

  it("finds the update that applied the current release, not the record of its bake", () => {
    const history = [update(4, N, { bakedAt: "2026-11-04T00:00:00.000Z" }), update(3, N), update(2, P, { result: "failed" }), update(1, P)];
    expect(releaseUpdate(history, N)?.version).to.equal(3);
    expect(releaseUpdate(history, P)?.version).to.equal(1);
  });
});

describe("an update as `dcp history` shows it", () => {
  const at = new Date(Date.UTC(2026, 10, 3));

  it("says who made it from dcp's release metadata", () => {
    const record: ReleaseRecord = {
      ...update(3, N, { releasedBy: "grace@example.com", gitCommit: "c0ffee1", ci: "github-actions", reason: "INC-7" }),
      endedAt: at,
      environment: { "git.author": "ada@example.com", "git.head": "fffffff", "ci.system": "jenkins" },
    };
    expect(entryOf(record)).to.deep.equal({
      version: 3,
      kind: "update",
      result: "succeeded",
      startedAt: record.startedAt,
      endedAt: at,
      releaseId: N,
      releasedBy: "grace@example.com",
      gitCommit: "c0ffee1",
      ci: "github-actions",
      reason: "INC-7",
    });
  });

  it("falls back on the engine's environment for an update dcp did not make, and shows nothing it does not know", () => {
    const byCommitter: ReleaseRecord = { ...foreign(2), environment: { "git.committer": "bot@example.com", "git.head": "fffffff", "ci.system": "jenkins" } };
    expect(entryOf(byCommitter)).to.deep.equal({
      version: 2,
      kind: "update",
      result: "succeeded",
      startedAt: byCommitter.startedAt,
      releasedBy: "bot@example.com",
      gitCommit: "fffffff",
      ci: "jenkins",
    });
    expect(entryOf({ ...foreign(1), environment: { "git.author": "ada@example.com", "git.committer": "bot@example.com" } }).releasedBy).to.equal("ada@example.com");
    expect(entryOf(foreign(1))).to.deep.equal({ version: 1, kind: "update", result: "succeeded", startedAt: foreign(1).startedAt });
  });
});

describe("`dcp history` of a stack", () => {
  const historyOf = async (records: ReleaseRecord[]) => {
    const engine = { history: async () => records } as unknown as Engine;
    const [shown] = await stackHistories([{ name: "prod-us-east-1", stage: "prod", region: "us-east-1" }], engine);
    return shown!.entries;
  };

  it("marks the release a bake record follows as baked, and no other", async () => {
    const entries = await historyOf([update(4, N, { bakedAt: "2026-11-04T12:00:00.000Z" }), update(3, N), update(2, P, { bakedAt: "2026-11-02T12:00:00.000Z" }), update(1, O)]);
    expect(entries.map((e) => [e.version, e.bakedAt?.toISOString()])).to.deep.equal([
      [3, "2026-11-04T12:00:00.000Z"],
      [1, undefined],
    ]);
    expect(entries[1]).to.not.have.property("bakedAt");
  });

  it("does not mark a failed update baked, nor take a failed record of a bake for a bake", async () => {
    const entries = await historyOf([
      update(4, N, { result: "failed", bakedAt: "2026-11-04T12:00:00.000Z" }),
      update(3, N),
      update(2, P, { bakedAt: "2026-11-02T12:00:00.000Z" }),
      update(1, P, { result: "failed" }),
    ]);
    expect(entries.map((e) => [e.version, e.result, e.bakedAt?.toISOString()])).to.deep.equal([
      [4, "failed", undefined],
      [3, "succeeded", undefined],
      [1, "failed", undefined],
    ]);
  });

  it("shows a failed update of a run apart from the run's successful updates", async () => {
    const at = "2026-11-04T00:00:00.000Z";
    const entries = await historyOf([update(4, N, { releasedAt: at, result: "failed" }), update(3, N, { releasedAt: at }), update(2, N, { releasedAt: at }), update(1, P, { result: "failed" })]);
    expect(entries.map((e) => [e.version, e.result, e.startedAt.getUTCDate()])).to.deep.equal([
      [4, "failed", 4],
      [3, "succeeded", 2],
      [1, "failed", 1],
    ]);
  });
});
