/**
 * A rollback to a release made by an older revision of infra/ runs that revision's
 * program, from a git worktree, in a clone that never built it.
 */
import { expect } from "chai";
import { ScratchRepo } from "../harness/scratch-repo";
import { world } from "../harness/world";

describe("a rollback to a release of an older program on the real engine", () => {
  it("builds and runs the older revision's program in a fresh clone", async () => {
    const w = await world();
    const origin = ScratchRepo.create(w, "revisions");
    const firstRevision = origin.git("rev-parse", "HEAD");
    const first = await origin.dcp(["release", "--to", "beta", "--json"]);
    expect(first.status, first.stderr + first.stdout).to.equal(0);

    // The program changes: alarms describe themselves differently.
    origin.editFile("infra/alarms.ts", (text) => {
      const changed = text.replace("`dcp: ${alarm.namespace}", "`dcp (program v2): ${alarm.namespace}");
      expect(changed, "infra/alarms.ts changed shape; update this scenario").not.to.equal(text);
      return changed;
    });
    origin.editStage("beta", (text) => text.replace("    cartTtlMinutes: 60", "    cartTtlMinutes: 45"));
    origin.commit("alarms describe themselves; beta carts shorter");
    const laptop = origin.clone("revisions-laptop");
    const second = await laptop.dcp(["release", "--to", "beta", "--json"]);
    expect(second.status, second.stderr + second.stdout).to.equal(0);
    expect((await laptop.served("beta", "us-west-2", "checkout")) as { cartTtlMinutes: number }).to.deep.include({ cartTtlMinutes: 45 });

    const rollback = await laptop.dcp(["rollback", "beta", "--json"]);
    expect(rollback.status, rollback.stderr + rollback.stdout).to.equal(0);
    const revision = rollback.events.find((event) => event.type === "program-revision");
    expect(revision?.["usingCurrentProgram"]).to.equal(false);
    expect((await laptop.served("beta", "us-west-2", "checkout")) as { cartTtlMinutes: number }).to.deep.include({ cartTtlMinutes: 60 });

    // The ledger names the program that ran the rollback: the older revision, not the clone's HEAD.
    const history = await laptop.dcp(["history", "beta", "--json"]);
    expect(history.status, history.stderr).to.equal(0);
    const [stack] = JSON.parse(history.stdout) as { entries: { gitCommit?: string; reason?: string }[] }[];
    expect(stack?.entries[0]?.reason).to.match(/^rollback from /);
    expect(stack?.entries[0]?.gitCommit).to.equal(firstRevision);
  });
});
