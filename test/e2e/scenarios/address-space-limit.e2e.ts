/**
 * Shared CI runners often cap a job's address space (`ulimit -v`): dcp, the Pulumi CLI,
 * the language host, the program, the policy pack and the provider all run under it.
 */
import { expect } from "chai";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { finished, ScratchRepo } from "../harness/scratch-repo";
import { world } from "../harness/world";

const FOUR_GIB_IN_KIB = 4_194_304;

describe("dcp under a 4 GiB address-space limit (ulimit -v)", () => {
  it("validates, releases beta and reports its status", async () => {
    const repo = ScratchRepo.create(await world(), "ulimit");
    const limited = (...args: string[]) =>
      finished(
        spawn("bash", ["-c", `ulimit -v ${FOUR_GIB_IN_KIB} && exec "$0" "$@"`, process.execPath, join(repo.dir, "cli", "bin.js"), ...args], {
          cwd: repo.dir,
          env: repo.env(),
          stdio: ["ignore", "pipe", "pipe"],
        }),
      );
    for (const args of [["--help"], ["validate"], ["plan", "--to", "prod"], ["release", "--to", "beta", "--json"], ["status", "beta", "--json"]]) {
      const run = await limited(...args);
      expect(run.status, `dcp ${args.join(" ")}: ${run.stderr}${run.stdout.slice(-2000)}`).to.equal(0);
    }
  });
});
