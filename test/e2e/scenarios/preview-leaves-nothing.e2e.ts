import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { ScratchRepo } from "../harness/scratch-repo";
import { world } from "../harness/world";

/** The stacks the backend holds, as `pulumi stack ls` lists them. */
function stacksOf(repo: ScratchRepo): string[] {
  const listed = execFileSync("pulumi", ["stack", "ls", "--all", "--json"], { cwd: repo.dir, env: repo.env(), encoding: "utf8" });
  return (JSON.parse(listed) as Array<{ name: string }>).map((stack) => stack.name);
}

function settingsFiles(repo: ScratchRepo): string[] {
  return readdirSync(repo.dir).filter((name) => /^Pulumi\..+\.ya?ml$/.test(name));
}

describe("preview and release --dry-run on the real engine", () => {
  it("create no stack and leave no settings file behind on a repository never released", async () => {
    const repo = ScratchRepo.create(await world(), "preview-nothing");
    for (const args of [["preview", "--stage", "beta"], ["release", "--to", "beta", "--dry-run"]]) {
      const run = await repo.dcp(args);
      expect(run.status, `dcp ${args.join(" ")}: ${run.stderr}${run.stdout}`).to.equal(0);
      expect(stacksOf(repo), `stacks after dcp ${args.join(" ")}`).to.deep.equal([]);
      expect(settingsFiles(repo), `settings files after dcp ${args.join(" ")}`).to.deep.equal([]);
    }
  });

  it("leave a released stack's settings file as the release left it, so a later refresh records no unreleased config", async () => {
    const repo = ScratchRepo.create(await world(), "preview-released");
    const release = await repo.dcp(["release", "--to", "beta", "--json"]);
    expect(release.status, release.stderr + release.stdout).to.equal(0);
    const released = execFileSync("cat", ["Pulumi.beta-us-west-2.yaml"], { cwd: repo.dir, encoding: "utf8" });
    repo.editStage("beta", (text) => text.replace("    providerTimeoutMs: 5000", "    providerTimeoutMs: 4000"));
    repo.commit("beta: payments time out sooner");
    const preview = await repo.dcp(["preview", "--stage", "beta"]);
    expect(preview.status, preview.stderr + preview.stdout).to.equal(0);
    expect(execFileSync("cat", ["Pulumi.beta-us-west-2.yaml"], { cwd: repo.dir, encoding: "utf8" })).to.equal(released);
    expect(stacksOf(repo)).to.deep.equal(["beta-us-west-2"]);
  });
});
