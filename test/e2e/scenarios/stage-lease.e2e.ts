/**
 * Two runs of one stage on the real engine: a second release during the first one's bake
 * is refused (exit 1, naming the first), and a rollback in an incident takes the stage
 * from a baking release, which stops without rolling back (exit 130).
 */
import { expect } from "chai";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { ChildProcess } from "node:child_process";
import { finished, ScratchRepo } from "../harness/scratch-repo";
import { world } from "../harness/world";

/** Resolves once the run's NDJSON shows beta's bake under way. */
async function bakingBeta(child: ChildProcess): Promise<void> {
  for await (const line of createInterface({ input: child.stdout! })) {
    if (line.includes('"type":"bake-started"') && line.includes('"stage":"beta"')) return;
  }
  throw new Error("the release ended before beta's bake started");
}

describe("one run per stage on the real engine", () => {
  let repo: ScratchRepo;

  before(async () => {
    repo = ScratchRepo.create(await world(), "lease");
    const first = await repo.dcp(["release", "--to", "beta", "--json"]);
    expect(first.status, first.stderr + first.stdout).to.equal(0);
  });

  /** The stage's leases left in the state backend: none once every run is done. */
  const leasesLeft = () => readdirSync(join(repo.stateDir, ".pulumi", "dcp-leases", repo.workload));

  it("refuses a second release of beta during the first one's bake with exit 1, naming the first run", async () => {
    repo.editStage("beta", (text) => text.replace(/bakeMinutes: 0/, "bakeMinutes: 1").replace("apple-pay: { enabled: true }", "apple-pay: { enabled: false }"));
    repo.commit("beta: apple pay off, baked for a minute");
    const child = repo.start(["release", "--to", "beta", "--json"]);
    const firstRun = finished(child);
    await bakingBeta(child);

    const second = await repo.dcp(["release", "--to", "beta", "--json"]);
    expect(second.status, second.stderr + second.stdout).to.equal(1);
    const refused = second.events.find((e) => e.type === "lease-refused") as { lease: { holder: { pid: number; command: string } } } | undefined;
    expect(refused?.lease.holder).to.include({ pid: child.pid, command: "release --to beta --json" });
    expect(second.stdout).to.include(`(pid ${child.pid})`);
    expect(second.stdout).to.include("--break-lease");
    expect(second.events.map((e) => e.type)).to.not.include("stack-skipped");

    const first = await firstRun;
    expect(first.status, first.stderr + first.stdout).to.equal(0);
    expect(leasesLeft()).to.deep.equal([]);
  });

  it("lets `dcp rollback` take beta from a baking release, which stops without rolling back, and serves the rollback's result", async () => {
    const applePay = async () => ((await repo.served("beta", "us-west-2", "feature-flags")) as Record<string, { enabled: boolean }>)["apple-pay"];
    expect(await applePay()).to.deep.include({ enabled: false });
    repo.editStage("beta", (text) => text.replace(/bakeMinutes: 1/, "bakeMinutes: 5").replace("apple-pay: { enabled: false }", "apple-pay: { enabled: true }"));
    repo.commit("beta: apple pay back on, a long bake");
    const child = repo.start(["release", "--to", "beta", "--json"]);
    const releasing = finished(child);
    await bakingBeta(child);

    const rollback = await repo.dcp(["rollback", "beta", "--json"]);
    expect(rollback.status, rollback.stderr + rollback.stdout).to.equal(0);
    const taken = rollback.events.find((e) => e.type === "lease-taken") as { lease: { replaced?: { how: string; previous: { holder: { pid: number } } } } } | undefined;
    expect(taken?.lease.replaced).to.deep.include({ how: "taken-over" });
    expect(taken?.lease.replaced?.previous.holder.pid).to.equal(child.pid);
    const handover = rollback.events.filter((e) => e.type === "lease-handover").map((e) => e["state"]);
    expect(handover, "the rollback updated nothing before the release had stopped").to.deep.equal(["waiting", "stopped"]);

    const stopped = await releasing;
    expect(stopped.status, stopped.stderr + stopped.stdout).to.equal(130);
    expect(stopped.events.map((e) => e.type)).to.include("lease-lost").and.not.include("rollback-started");
    expect(stopped.stdout).to.include("rolled nothing back");
    expect(await applePay(), "the release before the one that was baking").to.deep.include({ enabled: false });
    expect(leasesLeft()).to.deep.equal([]);
  });
});
