import { expect } from "chai";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileLeaseStore } from "../../cli/engine/file-lease-store";
import type { StageLease } from "../../cli/pipeline/ports";

function leaseOf(who: string, overrides: Partial<StageLease> = {}): StageLease {
  const at = "2026-03-02T09:00:00.000Z";
  return { id: `${who}-lease`, stage: "beta", purpose: "release", holder: { who, pid: 1, command: "release --to beta" }, since: at, renewedAt: at, ...overrides };
}

describe("the file backend's stage leases", () => {
  let dir: string;
  let store: FileLeaseStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "dcp-leases-"));
    store = new FileLeaseStore(join(dir, "leases"));
  });

  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("of many runs taking one stage's lease at once, exactly one wins and the others are shown the winner's lease", async () => {
    const runs = ["ada", "grace", "linus", "barbara", "ken"].map((who) => leaseOf(who));
    const answers = await Promise.all(runs.map((lease) => store.acquire(lease)));

    const winners = runs.filter((_, i) => answers[i] === undefined);
    expect(winners).to.have.length(1);
    for (const answer of answers.filter((a) => a !== undefined)) expect(answer.id).to.equal(winners[0]?.id);
    expect(await readdir(join(dir, "leases")), "no draft is left behind").to.deep.equal(["beta.json"]);
  });

  it("keeps one lease per stage: another stage's lease is taken independently", async () => {
    expect(await store.acquire(leaseOf("ada"))).to.equal(undefined);
    expect(await store.acquire(leaseOf("grace", { stage: "gamma" }))).to.equal(undefined);
  });

  it("records a renewal as the lease's renewal time, and gives the lease back as stored", async () => {
    const lease = leaseOf("ada");
    await store.acquire(lease);
    const stored = await store.renew(lease, new Date("2026-03-02T09:00:05.000Z"));
    expect(stored).to.deep.equal({ ...lease, renewedAt: "2026-03-02T09:00:05.000Z" });
  });

  it("lets a takeover replace the lease it read, and its holder then finds the new lease when it renews", async () => {
    const release = leaseOf("ada");
    await store.acquire(release);
    const rollback = leaseOf("oncall", { purpose: "rollback", replaced: { how: "taken-over", previous: release } });

    expect(await store.replace(release, rollback)).to.equal(true);
    const seen = await store.renew(release, new Date("2026-03-02T09:00:05.000Z"));
    expect(seen?.id).to.equal(rollback.id);
    expect(seen?.replaced).to.deep.equal({ how: "taken-over", previous: release });
  });

  it("refuses to replace a lease that is no longer the one read (broken or taken over meanwhile)", async () => {
    const dead = leaseOf("ada");
    await store.acquire(dead);
    const first = leaseOf("grace", { replaced: { how: "broken", reason: "ada's laptop died", previous: dead } });
    expect(await store.replace(dead, first)).to.equal(true);
    expect(await store.replace(dead, leaseOf("linus"))).to.equal(false);
    expect((await store.renew(first, new Date()))?.holder.who).to.equal("grace");
  });

  it("removes a lease its holder lets go, so that the next run takes the stage", async () => {
    const lease = leaseOf("ada");
    await store.acquire(lease);
    await store.release(lease);
    expect(await store.acquire(leaseOf("grace"))).to.equal(undefined);
  });

  it("never removes a lease that replaced the releasing holder's", async () => {
    const release = leaseOf("ada");
    await store.acquire(release);
    const rollback = leaseOf("oncall", { purpose: "rollback" });
    await store.replace(release, rollback);

    await store.release(release);
    expect((await store.acquire(leaseOf("grace")))?.id).to.equal(rollback.id);
    expect(await readdir(join(dir, "leases"))).to.deep.equal(["beta.json"]);
  });
});
