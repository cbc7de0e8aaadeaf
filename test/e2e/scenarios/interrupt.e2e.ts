/** Ctrl-C once during an update: dcp stops cleanly (exit 130) and a re-run completes the release. */
import { expect } from "chai";
import { createInterface } from "node:readline";
import { finished, ScratchRepo } from "../harness/scratch-repo";
import { world } from "../harness/world";

describe("an interrupted release on the real engine", () => {
  it("exits 130 on one Ctrl-C during an update, and the re-run completes it", async () => {
    const repo = ScratchRepo.create(await world(), "interrupt");
    const child = repo.start(["release", "--to", "beta", "--json"]);
    const running = finished(child);
    for await (const line of createInterface({ input: child.stdout! })) {
      if (!line.includes('"type":"stack-updating"')) continue;
      child.kill("SIGINT");
      break;
    }
    const interrupted = await running;
    expect(interrupted.status, interrupted.stderr + interrupted.stdout).to.equal(130);

    const rerun = await repo.dcp(["release", "--to", "beta", "--json"]);
    expect(rerun.status, rerun.stderr + rerun.stdout).to.equal(0);
    const flags = (await repo.served("beta", "us-west-2", "feature-flags")) as Record<string, { enabled: boolean }>;
    expect(flags["apple-pay"]).to.deep.include({ enabled: true });
    const status = await repo.dcp(["status", "beta", "--json"]);
    expect(status.status, status.stderr).to.equal(0);
  });
});
