import { expect } from "chai";
import fsPromises, { mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileLeaseStore } from "../../cli/engine/file-lease-store";
import type { StageLease } from "../../cli/pipeline/ports";

function leaseOf(who: string, overrides: Partial<StageLease> = {}): StageLease {
  const at = "2026-03-02T09:00:00.000Z";
  return { id: `${who}-lease`, stage: "beta", purpose: "release", holder: { who, pid: 1, command: "release --to beta" }, since: at, renewedAt: at, ...overrides };
}

type Faulty = "link" | "utimes" | "rename";

describe("the file backend's stage leases", () => {
  let dir: string;
  let store: FileLeaseStore;
  const originals = new Map<Faulty, unknown>();

  /** Makes the file system refuse `operation` on paths named `*<suffix>` with `code`, as a mount without that support does. */
  function refuse(operation: Faulty, suffix: string, code: string): void {
    const original = fsPromises[operation] as (...args: unknown[]) => Promise<unknown>;
    originals.set(operation, original);
    const patched = async (...args: unknown[]) => {
      if (args.some((arg) => typeof arg === "string" && arg.endsWith(suffix))) {
        throw Object.assign(new Error(`${code}: operation not permitted, ${operation}`), { code });
      }
      return original(...args);
    };
    Object.assign(fsPromises, { [operation]: patched });
  }

  afterEach(() => {
    for (const [operation, original] of originals) Object.assign(fsPromises, { [operation]: original });
    originals.clear();
  });

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

  it("gives up after three tries, saying so, when the stage's lease name exists but holds no lease it can read", async () => {
    await store.acquire(leaseOf("ada", { stage: "gamma" }));
    await symlink(join(dir, "leases", "nowhere.json"), join(dir, "leases", "beta.json"));
    const link = fsPromises.link;
    let links = 0;
    Object.assign(fsPromises, { link: (...args: Parameters<typeof link>) => ((links += 1), link(...args)) });
    const error = await store.acquire(leaseOf("grace")).catch((e: unknown) => e);
    Object.assign(fsPromises, { link });
    expect((error as Error).message).to.equal(`the lease of beta in ${join(dir, "leases")} kept appearing and disappearing`);
    expect(links, "tries").to.equal(3);
    expect((await readdir(join(dir, "leases"))).sort(), "no draft is left behind").to.deep.equal(["beta.json", "gamma.json"]);
  });

  it("fails with the file system's error on a mount without hard links, leaving no draft behind", async () => {
    refuse("link", "beta.json", "EPERM");
    const error = await store.acquire(leaseOf("ada")).catch((e: unknown) => e);
    expect(error).to.include({ code: "EPERM" });
    expect(await readdir(join(dir, "leases"))).to.deep.equal([]);
  });

  it("never writes through a link planted where it writes its draft", async () => {
    const victim = join(dir, "victim");
    await writeFile(victim, "untouched");
    await fsPromises.mkdir(join(dir, "leases"));
    await symlink(victim, join(dir, "leases", ".beta.ada-lease.draft"));
    const error = await store.acquire(leaseOf("ada")).catch((e: unknown) => e);
    expect(error).to.include({ code: "EEXIST" });
    expect(await readFile(victim, "utf8")).to.equal("untouched");
  });

  it("names a file at the lease's place that is not a lease, and what to do about it", async () => {
    await fsPromises.mkdir(join(dir, "leases"));
    await writeFile(join(dir, "leases", "beta.json"), "<<<<<<< HEAD\n");
    const error = await store.acquire(leaseOf("ada")).catch((e: unknown) => e);
    expect((error as Error).message).to.equal(`${join(dir, "leases", "beta.json")} is not a dcp stage lease; remove it if no dcp run holds the stage`);
  });

  it("finds nothing to renew, replace or release once the lease is gone", async () => {
    const lease = leaseOf("ada");
    await store.acquire(lease);
    await store.release(lease);
    expect(await store.renew(lease, new Date())).to.equal(undefined);
    expect(await store.replace(lease, leaseOf("grace"))).to.equal(false);
    await store.release(lease);
    expect(await readdir(join(dir, "leases"))).to.deep.equal([]);
  });

  it("fails with the file system's error when the lease cannot be renewed or moved aside", async () => {
    const lease = leaseOf("ada");
    await store.acquire(lease);
    refuse("utimes", "beta.json", "EACCES");
    expect(await store.renew(lease, new Date()).catch((e: unknown) => e)).to.include({ code: "EACCES" });
    refuse("rename", "beta.json", "EACCES");
    expect(await store.release(lease).catch((e: unknown) => e)).to.include({ code: "EACCES" });
  });
});
