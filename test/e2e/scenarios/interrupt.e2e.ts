/**
 * Ctrl-C during a release on the real engine: dcp stops cleanly (exit 130), and a re-run
 * completes the release, baking whatever the interrupted run never baked.
 */
import { expect } from "chai";
import { createInterface } from "node:readline";
import { finished, ScratchRepo, type DcpRun } from "../harness/scratch-repo";
import { world } from "../harness/world";

/** Runs `dcp <args>` and sends it one SIGINT at the first NDJSON line that includes `marker`. */
async function interruptedAt(repo: ScratchRepo, args: string[], marker: string): Promise<DcpRun> {
  const child = repo.start(args);
  const running = finished(child);
  for await (const line of createInterface({ input: child.stdout! })) {
    if (!line.includes(marker)) continue;
    child.kill("SIGINT");
    break;
  }
  return running;
}

describe("an interrupted release on the real engine", () => {
  it("exits 130 on one Ctrl-C during an update, and the re-run completes it", async () => {
    const repo = ScratchRepo.create(await world(), "interrupt");
    const interrupted = await interruptedAt(repo, ["release", "--to", "beta", "--json"], '"type":"stack-updating"');
    expect(interrupted.status, interrupted.stderr + interrupted.stdout).to.equal(130);

    const rerun = await repo.dcp(["release", "--to", "beta", "--json"]);
    expect(rerun.status, rerun.stderr + rerun.stdout).to.equal(0);
    const flags = (await repo.served("beta", "us-west-2", "feature-flags")) as Record<string, { enabled: boolean }>;
    expect(flags["apple-pay"]).to.deep.include({ enabled: true });
    const status = await repo.dcp(["status", "beta", "--json"]);
    expect(status.status, status.stderr).to.equal(0);
  });

  it("a Ctrl-C during the bake leaves the release unbaked: the re-run bakes it without updating, records the bake, and a third run skips it", async () => {
    const repo = ScratchRepo.create(await world(), "interrupt-bake");
    // dcp's bake runs in real minutes (only the local AWS is time-scaled): one is enough to interrupt it.
    repo.editStage("beta", (text) => text.replace("bakeMinutes: 0", "bakeMinutes: 1"));
    repo.commit("beta bakes for a minute");
    const interrupted = await interruptedAt(repo, ["release", "--to", "beta", "--json"], '"type":"bake-started"');
    expect(interrupted.status, interrupted.stderr + interrupted.stdout).to.equal(130);

    const rerun = await repo.dcp(["release", "--to", "beta", "--json"]);
    expect(rerun.status, rerun.stderr + rerun.stdout).to.equal(0);
    expect(rerun.events.filter((event) => event.type === "stack-updating")).to.deep.equal([]);
    expect(rerun.events.filter((event) => event.type === "bake-done").map((event) => event["stage"])).to.deep.equal(["beta"]);

    const history = await repo.dcp(["history", "beta", "--json"]);
    expect(history.status, history.stderr).to.equal(0);
    const [stack] = JSON.parse(history.stdout) as { entries: { releaseId?: string; bakedAt?: string }[] }[];
    expect(stack?.entries).to.have.length(1);
    expect(stack?.entries[0]?.bakedAt, history.stdout).to.be.a("string");

    const third = await repo.dcp(["release", "--to", "beta", "--json"]);
    expect(third.status, third.stderr + third.stdout).to.equal(0);
    expect(third.events.filter((event) => event.type === "stage-skipped").map((event) => event["stage"])).to.deep.equal(["beta"]);
  });
});
