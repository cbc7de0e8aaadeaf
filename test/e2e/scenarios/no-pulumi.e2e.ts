import { expect } from "chai";
import { mkdirSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { ScratchRepo } from "../harness/scratch-repo";
import { world } from "../harness/world";

describe("dcp on a machine without the Pulumi CLI", () => {
  it("refuses a release with exit 1 and says what to install", async () => {
    const repo = ScratchRepo.create(await world(), "no-pulumi");
    const run = await repo.dcp(["release", "--to", "gamma"], repo.env({ PATH: dirname(process.execPath) }));
    expect(run.status).to.equal(1);
    expect(run.stderr).to.include("`pulumi` is not on PATH").and.include("Install the Pulumi CLI").and.not.match(/\n\s+at /);
  });

  it("refuses a Pulumi CLI older than what drift and the event log need, naming the version needed", async () => {
    const repo = ScratchRepo.create(await world(), "old-pulumi");
    const bin = join(repo.dir, "old-pulumi-bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "pulumi"), "#!/bin/sh\necho v3.110.0\n", { mode: 0o755 });
    const run = await repo.dcp(["drift", "beta"], repo.env({ PATH: [bin, dirname(process.execPath), "/usr/bin", "/bin"].join(delimiter) }));
    expect(run.status).to.equal(1);
    expect(run.stderr).to.include("(3.110.0) is too old").and.include("3.131.0 or newer").and.not.match(/\n\s+at /);
  });
});
