import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ScratchRepo } from "../harness/scratch-repo";
import { world, type World } from "../harness/world";

describe("dcp diff on the real engine", () => {
  let w: World;
  let repo: ScratchRepo;
  /** Only the state backend: what a reviewer's laptop or a pull-request job has, no AWS credentials. */
  let backendOnly: Record<string, string>;

  before(async () => {
    w = await world();
    repo = ScratchRepo.create(w, "diff");
    const release = await repo.dcp(["release", "--to", "beta", "--json"]);
    expect(release.status, release.stderr + release.stdout).to.equal(0);
    repo.editStage("beta", (text) => text.replace("rolloutPercent: 100", "rolloutPercent: 40").replace("logLevel: DEBUG", "logLevel: INFO"));
    repo.commit("beta: a smaller rollout, quieter checkout logs");
    backendOnly = repo.env();
    for (const name of Object.keys(backendOnly)) if (name.startsWith("AWS_")) delete backendOnly[name];
  });

  it("shows each value a release would change against what beta runs, with no AWS credentials (exit 0)", async () => {
    const run = await repo.dcp(["diff", "--stage", "beta"], backendOnly);
    expect(run.status, run.stderr + run.stdout).to.equal(0);
    expect(run.stdout).to.match(/^beta-us-west-2:$/m);
    expect(run.stdout).to.match(/flags\.one-page-checkout\.rolloutPercent +100 → 40/);
    expect(run.stdout).to.match(/config\.checkout\.logLevel +DEBUG → INFO/);
  });

  it("says gamma's stacks were never released", async () => {
    const run = await repo.dcp(["diff", "--stage", "gamma", "--json"], backendOnly);
    expect(run.status, run.stderr + run.stdout).to.equal(0);
    const stacks = JSON.parse(run.stdout) as { stack: string; state: string }[];
    expect(stacks.map((s) => s.state)).to.deep.equal(stacks.map(() => "never-released"));
    expect(stacks).to.have.length.greaterThan(0);
  });

  it("writes the diff as a Markdown table for a pull request", async () => {
    const file = join(repo.dir, "summary.md");
    const run = await repo.dcp(["diff", "--stage", "beta", "--markdown", file], backendOnly);
    expect(run.status, run.stderr + run.stdout).to.equal(0);
    expect(readFileSync(file, "utf8")).to.include("| `flags.one-page-checkout.rolloutPercent` | `100` | `40` | us-west-2 |");
  });

  it("shows the same diff first in a dry run, and writes the run up as Markdown with it", async () => {
    const file = join(repo.dir, "dry-run.md");
    const run = await repo.dcp(["release", "--to", "beta", "--dry-run", "--json", "--markdown", file]);
    expect(run.status, run.stderr + run.stdout).to.equal(0);
    const diff = run.events.find((e) => e.type === "values-diff") as { diff?: { stage: string; changes: { path: string }[] } } | undefined;
    expect(diff?.diff?.stage).to.equal("beta");
    expect(diff?.diff?.changes.map((c) => c.path)).to.deep.equal(["flags.one-page-checkout.rolloutPercent", "config.checkout.logLevel"]);
    const markdown = readFileSync(file, "utf8");
    expect(markdown).to.include("## dcp release --to beta --dry-run").and.include("| `config.checkout.logLevel` | `DEBUG` | `INFO` | us-west-2 |");
    expect(markdown).to.match(/\| beta-us-west-2 \| previewed: /).and.include("### Policy results").and.include("**Succeeded.**");
  });

  it("says no change once the change is released", async () => {
    const release = await repo.dcp(["release", "--to", "beta", "--json"]);
    expect(release.status, release.stderr + release.stdout).to.equal(0);
    const run = await repo.dcp(["diff", "--stage", "beta"], backendOnly);
    expect(run.status, run.stderr + run.stdout).to.equal(0);
    expect(run.stdout).to.include("beta-us-west-2: no change");
  });
});
