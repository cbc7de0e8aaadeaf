import { expect } from "chai";
import { dirname } from "node:path";
import { ScratchRepo } from "../harness/scratch-repo";
import { world } from "../harness/world";

describe("dcp on a machine without the Pulumi CLI", () => {
  it("refuses a release with exit 1 and says what to install", async () => {
    const repo = ScratchRepo.create(await world(), "no-pulumi");
    const run = await repo.dcp(["release", "--to", "gamma"], repo.env({ PATH: dirname(process.execPath) }));
    expect(run.status).to.equal(1);
    expect(run.stderr).to.include("`pulumi` is not on PATH").and.include("Install the Pulumi CLI").and.not.match(/\n\s+at /);
  });
});
