/**
 * A rollback to a release made by an older revision of infra/ runs that revision's
 * program, from a git worktree, in a clone that never built it — and only if that
 * revision is on the main branch.
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

  it("refuses, changing nothing, to run a recorded revision that is not on main, and rolls back with --current-program", async () => {
    const w = await world();
    const repo = ScratchRepo.create(w, "unmerged");
    repo.git("checkout", "--quiet", "-b", "experiment");
    repo.editStage("beta", (text) => text.replace("    cartTtlMinutes: 60", "    cartTtlMinutes: 30"));
    const unmerged = repo.commit("beta carts shorter, on a branch nobody merged");
    const fromBranch = await repo.dcp(["release", "--to", "beta", "--json"]);
    expect(fromBranch.status, fromBranch.stderr + fromBranch.stdout).to.equal(0);

    repo.git("checkout", "--quiet", "main");
    repo.editStage("beta", (text) => text.replace("    cartTtlMinutes: 60", "    cartTtlMinutes: 45"));
    repo.commit("beta carts shorter, merged");
    const fromMain = await repo.dcp(["release", "--to", "beta", "--json"]);
    expect(fromMain.status, fromMain.stderr + fromMain.stdout).to.equal(0);

    const refused = await repo.dcp(["rollback", "beta"]);
    expect(refused.status, refused.stderr + refused.stdout).to.equal(1);
    expect(refused.stderr).to.contain(unmerged).and.contain("not on main").and.contain("--current-program").and.contain("Nothing was changed");
    expect((await repo.served("beta", "us-west-2", "checkout")) as { cartTtlMinutes: number }).to.deep.include({ cartTtlMinutes: 45 });

    const withTodaysProgram = await repo.dcp(["rollback", "beta", "--current-program", "--json"]);
    expect(withTodaysProgram.status, withTodaysProgram.stderr + withTodaysProgram.stdout).to.equal(0);
    expect((await repo.served("beta", "us-west-2", "checkout")) as { cartTtlMinutes: number }).to.deep.include({ cartTtlMinutes: 30 });
  });
});
