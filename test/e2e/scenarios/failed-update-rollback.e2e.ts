/**
 * A release whose update fails on the real engine leaves the stack's outputs as they
 * were: `dcp rollback` must decide from the stack's history that it holds (part of) the
 * failed release, and return it to the last good release, not to the one before.
 */
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { ScratchRepo, type DcpRun } from "../harness/scratch-repo";
import { world } from "../harness/world";

const CART_TTL = "    cartTtlMinutes: 60";

/** The release id a run updated (or tried to update) its stack to. */
function releaseOf(run: DcpRun): unknown {
  return run.events.find((event) => event.type === "stack-updating")?.["releaseId"];
}

describe("a rollback after a failed release on the real engine", () => {
  it("returns to the last release the stack ran, whose outputs the failed update left in place", async function () {
    // Four releases, a rollback and two builds of the program: beyond the suite's default on a busy machine.
    this.timeout(1_500_000);
    const w = await world();
    const origin = ScratchRepo.create(w, "failed-update");
    const first = await origin.dcp(["release", "--to", "beta", "--json"]);
    expect(first.status, first.stderr + first.stdout).to.equal(0);

    // The last good release comes from a colleague's commit that this clone never fetches:
    // the automatic rollback of the failing release cannot run that revision's program.
    const laptop = origin.clone("failed-update-laptop");
    laptop.editStage("beta", (text) => text.replace(CART_TTL, "    cartTtlMinutes: 45"));
    laptop.commit("beta carts 45 minutes");
    const good = await laptop.dcp(["release", "--to", "beta", "--json"]);
    expect(good.status, good.stderr + good.stdout).to.equal(0);

    // The next release passes its preview, and its update fails in the program.
    origin.editStage("beta", (text) => text.replace(CART_TTL, "    cartTtlMinutes: 30"));
    origin.editFile("infra/index.ts", () =>
      [
        'import * as pulumi from "@pulumi/pulumi";',
        'import { declareStack } from "./program";',
        'import { readStackConfig } from "./read-stack-config";',
        "export = async () => {",
        "  const config = readStackConfig();",
        '  if (!pulumi.runtime.isDryRun() && config.components["checkout"]?.config["cartTtlMinutes"] === 30) throw new Error("e2e: the update fails");',
        "  return declareStack(config);",
        "};",
        "",
      ].join("\n"),
    );
    execFileSync("npm", ["run", "--silent", "build"], { cwd: origin.dir, stdio: "ignore" });
    origin.commit("beta carts 30 minutes, and a program whose update fails");
    const failed = await origin.dcp(["release", "--to", "beta", "--json"]);
    expect(failed.status, failed.stderr + failed.stdout).to.equal(5);

    const rollback = await origin.dcp(["rollback", "beta", "--current-program", "--json"]);
    expect(rollback.status, rollback.stderr + rollback.stdout).to.equal(0);
    const rolledBack = rollback.events.find((event) => event.type === "rolled-back");
    expect(rolledBack?.["releaseId"], rollback.stdout).to.equal(releaseOf(good));
    expect(rolledBack?.["from"]).to.equal(releaseOf(failed));
    expect((await origin.served("beta", "us-west-2", "checkout")) as { cartTtlMinutes: number }).to.deep.include({ cartTtlMinutes: 45 });
  });
});
