/**
 * A rollback re-applies an old StackConfig, which must meet the program written for it:
 * `programRevision` runs the program from a temporary git worktree at that revision.
 * One worktree per revision per process, removed when the process exits. The worktree
 * gets this checkout's installed packages and is built with that revision's own `build`
 * script, so Pulumi runs that revision's compiled program, not today's.
 *
 * The revision comes from the state backend, whose writers are not the reviewers of the
 * code: only a revision on the main branch runs, so that a rollback never runs code
 * nobody merged with the stage's deploy role.
 */
import { execFile, execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { DeploymentError, UsageError } from "../errors";
import type { StackFactory } from "./pulumi-engine";

const run = promisify(execFile);

export type OpenWorkspace = (workDir: string) => Promise<StackFactory>;

export class ProgramRevisions {
  /** By revision; the working copy's under undefined. */
  private readonly opened = new Map<string | undefined, Promise<StackFactory>>();

  constructor(
    private readonly repoRoot: string,
    private readonly open: OpenWorkspace,
    /** pipeline.yaml's `mainBranch`: its remote-tracking branch on origin when the clone has one, else the local branch. */
    private readonly mainBranch = "main",
  ) {}

  /** Stacks whose program is the working copy (no revision) or the one at `revision`. */
  factoryFor(revision: string | undefined): Promise<StackFactory> {
    let factory = this.opened.get(revision);
    if (!factory) {
      factory = revision === undefined ? this.open(this.repoRoot) : this.checkout(revision).then(this.open);
      factory.catch(() => this.opened.delete(revision));
      this.opened.set(revision, factory);
    }
    return factory;
  }

  private async checkout(revision: string): Promise<string> {
    const git = (...args: string[]) => run("git", ["-C", this.repoRoot, ...args]).then(({ stdout }) => stdout.trim());
    let commit: string;
    let topLevel: string;
    try {
      commit = await git("rev-parse", "--verify", "--quiet", `${revision}^{commit}`);
      topLevel = await git("rev-parse", "--show-toplevel");
    } catch {
      throw new DeploymentError(
        `the release to roll back to was made from git revision ${revision}, which this clone does not have: ` +
          "fetch it, or pass --current-program to run today's program",
      );
    }
    await this.refuseOffMain(revision, commit, git);
    const worktree = mkdtempSync(join(tmpdir(), `dcp-program-${commit.slice(0, 12)}-`));
    await git("worktree", "add", "--detach", "--force", worktree, commit);
    process.once("exit", () => {
      try {
        execFileSync("git", ["-C", this.repoRoot, "worktree", "remove", "--force", worktree], { stdio: "ignore" });
      } catch {
        rmSync(worktree, { recursive: true, force: true });
      }
    });
    const workDir = join(worktree, relative(topLevel, this.repoRoot));
    this.shareUntracked(workDir);
    await buildProgram(workDir, revision);
    return workDir;
  }

  private async refuseOffMain(revision: string, commit: string, git: (...args: string[]) => Promise<string>): Promise<void> {
    const succeeds = (...args: string[]) =>
      git(...args).then(
        () => true,
        // Stryker disable next-line ArrowFunction: undefined for a failed command is as false to every caller
        () => false,
      );
    const exists = (ref: string) => succeeds("rev-parse", "--verify", "--quiet", ref);
    const remote = `origin/${this.mainBranch}`;
    const main = (await exists(`refs/remotes/${remote}`)) ? remote : (await exists(`refs/heads/${this.mainBranch}`)) ? this.mainBranch : undefined;
    if (main === undefined) {
      throw new UsageError(
        `refusing to run the program of git revision ${revision}: this clone has no branch ${this.mainBranch} (nor ${remote}) to check it is merged. ` +
          "Fetch it, set `mainBranch:` in envs/pipeline.yaml to the branch releases are made from, or pass --current-program to apply the recorded configuration with today's program",
      );
    }
    // Exit 1 is "not an ancestor"; anything else (a shallow clone missing the history) cannot show it is one either.
    const merged = await succeeds("merge-base", "--is-ancestor", commit, main);
    if (!merged) {
      throw new UsageError(
        `refusing to run the program of git revision ${revision}, which the release to roll back to names: it is not on ${main}, ` +
          "and dcp runs only merged code with a stage's role, whoever can write the state backend. " +
          `Merge it into ${this.mainBranch} (and fetch), or pass --current-program to apply the recorded configuration with today's program`,
      );
    }
  }

  /** What git does not hold: installed packages, and the stack settings files (with their secrets salt). */
  private shareUntracked(workDir: string): void {
    for (const dir of ["node_modules", join("policies", "node_modules")]) {
      const source = join(this.repoRoot, dir);
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- node_modules of this checkout and of the git worktree dcp just created
      if (existsSync(source) && !existsSync(join(workDir, dir)) && existsSync(join(workDir, dir, ".."))) {
        // eslint-disable-next-line security/detect-non-literal-fs-filename -- node_modules of this checkout and of the git worktree dcp just created
        symlinkSync(source, join(workDir, dir), "dir");
      }
    }
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the root of this checkout
    for (const file of readdirSync(this.repoRoot)) {
      if (/^Pulumi\..+\.yaml$/.test(file)) copyFileSync(join(this.repoRoot, file), join(workDir, file));
    }
  }
}

/**
 * Compiles the revision's program as `npm ci` compiled this checkout's. A revision from
 * before dcp shipped compiled JavaScript has no build script: its Pulumi.yaml runs the
 * TypeScript itself through ts-node, a development dependency.
 */
async function buildProgram(workDir: string, revision: string): Promise<void> {
  const manifestFile = join(workDir, "package.json");
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- package.json of the git worktree dcp just created
  if (!existsSync(manifestFile)) return;
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- package.json of the git worktree dcp just created
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as { scripts?: Record<string, string> };
  if (manifest.scripts?.["build"] === undefined) return;
  try {
    await run("npm", ["run", "--silent", "build"], { cwd: workDir });
  } catch (error) {
    // A promisified execFile rejects with the command's stderr on the error, whatever went wrong.
    const output = (error as { stderr: string }).stderr.trim();
    throw new DeploymentError(`the program at git revision ${revision} did not build (npm run build in ${workDir}): ${output.split("\n").slice(-5).join("\n")}`);
  }
}
