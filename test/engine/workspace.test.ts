import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProgramRevisions } from "../../cli/engine/revisions";
import { SetupError, UsageError } from "../../cli/errors";
import { resolveBackend, workspaceEnvironment, workspaceOptions } from "../../cli/engine/workspace";
import type { PulumiCommand } from "@pulumi/pulumi/automation";
import { DeploymentError } from "../../cli/errors";
import type { StackFactory } from "../../cli/engine/pulumi-engine";

describe("the Pulumi workspace settings", () => {
  it("resolves a relative file:// backend against the repo root, not the working directory", () => {
    expect(resolveBackend("file://.pulumi-state", "/repo")).to.deep.equal({
      url: "file:///repo/.pulumi-state",
      directory: "/repo/.pulumi-state",
      secretsProvider: "passphrase",
    });
    expect(resolveBackend(undefined, "/repo").url).to.equal("file:///repo/.pulumi-state");
    expect(resolveBackend("file:///var/state", "/repo").url).to.equal("file:///var/state");
    expect(resolveBackend("file://~", "/repo")).to.deep.equal({ url: "file://~", secretsProvider: "passphrase" });
  });

  it("leaves remote backends as they are, encrypting with a passphrase unless Pulumi Cloud keeps the secrets", () => {
    expect(resolveBackend("s3://storefront-pulumi-state", "/repo")).to.deep.equal({ url: "s3://storefront-pulumi-state", secretsProvider: "passphrase" });
    expect(resolveBackend("https://api.pulumi.com", "/repo")).to.deep.equal({ url: "https://api.pulumi.com" });
  });

  it("encrypts new stacks' secrets with the KMS key pipeline.yaml names", () => {
    const kms = "awskms://alias/dcp-state?region=eu-west-1";
    const backend = resolveBackend("s3://storefront-pulumi-state/shop", "/repo", kms);
    expect(backend.secretsProvider).to.equal(kms);
    const options = workspaceOptions({ workDir: "/repo", workload: "shop", backend, envVars: {}, pulumiCommand: {} as PulumiCommand });
    expect(options).to.deep.include({ workDir: "/repo", secretsProvider: kms });
    expect(workspaceOptions({ workDir: "/repo", workload: "shop", backend: resolveBackend("https://api.pulumi.com", "/repo"), envVars: {}, pulumiCommand: {} as PulumiCommand }))
      .not.to.have.property("secretsProvider");
  });

  it("needs no passphrase with a KMS secrets provider, in CI or not, and sets none", () => {
    const backend = resolveBackend("s3://storefront-pulumi-state/shop", "/repo", "awskms://alias/dcp-state?region=eu-west-1");
    for (const env of [{ CI: "true" }, {}]) {
      const { envVars, notice } = workspaceEnvironment(backend, env);
      expect(envVars).not.to.have.property("PULUMI_CONFIG_PASSPHRASE");
      expect(notice).to.equal(undefined);
    }
  });

  it("uses an empty passphrase for a self-managed backend when none is set, and says so", () => {
    const { envVars, notice } = workspaceEnvironment(resolveBackend(undefined, "/repo"), {});
    expect(envVars).to.deep.include({ PULUMI_BACKEND_URL: "file:///repo/.pulumi-state", PULUMI_CONFIG_PASSPHRASE: "" });
    expect(notice).to.contain("PULUMI_CONFIG_PASSPHRASE is not set");
  });

  it("refuses in CI a file:// backend, whose state goes with the runner, unless told the runner's disk persists", () => {
    const local = resolveBackend(undefined, "/repo");
    expect(() => workspaceEnvironment(local, { CI: "true", PULUMI_CONFIG_PASSPHRASE: "s3cret" }))
      .to.throw(SetupError, /file:\/\/\/repo\/\.pulumi-state, on this CI runner's disk/)
      .with.property("exitCode", 1);
    expect(() => workspaceEnvironment(local, { CI: "true", PULUMI_CONFIG_PASSPHRASE: "s3cret", DCP_ALLOW_LOCAL_STATE: "1" })).not.to.throw();
    expect(() => workspaceEnvironment(local, { CI: "false", PULUMI_CONFIG_PASSPHRASE: "s3cret" })).not.to.throw();
    expect(() => workspaceEnvironment(resolveBackend("s3://state/shop", "/repo"), { CI: "true", PULUMI_CONFIG_PASSPHRASE: "s3cret" })).not.to.throw();
  });

  it("refuses in CI to encrypt secrets with an empty passphrase", () => {
    for (const env of [{ CI: "true" }, { CI: "1", PULUMI_CONFIG_PASSPHRASE: "" }]) {
      expect(() => workspaceEnvironment(resolveBackend("s3://state/shop", "/repo"), env)).to.throw(SetupError, /PULUMI_CONFIG_PASSPHRASE .* is not set: in CI/);
    }
    expect(() => workspaceEnvironment(resolveBackend("https://api.pulumi.com", "/repo"), { CI: "true" })).not.to.throw();
  });

  it("keeps the user's passphrase (or passphrase file) and says nothing", () => {
    for (const env of [{ PULUMI_CONFIG_PASSPHRASE: "s3cret" }, { PULUMI_CONFIG_PASSPHRASE_FILE: "/run/passphrase" }]) {
      const { envVars, notice } = workspaceEnvironment(resolveBackend(undefined, "/repo"), env);
      expect(envVars).not.to.have.property("PULUMI_CONFIG_PASSPHRASE");
      expect(notice).to.equal(undefined);
    }
  });
});

describe("running the program of an earlier git revision", () => {
  let repo: string;
  const git = (...args: string[]) => execFileSync("git", ["-C", repo, ...args], { encoding: "utf8" }).trim();

  beforeEach(() => {
    repo = realpathSync(mkdtempSync(join(tmpdir(), "dcp-repo-")));
    git("init", "-q", "--initial-branch=main");
    git("config", "user.email", "ada@example.com");
    git("config", "user.name", "Ada");
    mkdirSync(join(repo, "infra"));
    writeFileSync(join(repo, "infra", "index.ts"), "// program v1\n");
    writeFileSync(join(repo, ".gitignore"), "node_modules/\nPulumi.*.yaml\n");
    git("add", ".");
    git("commit", "-q", "-m", "v1");
    writeFileSync(join(repo, "infra", "index.ts"), "// program v2\n");
    git("commit", "-q", "-am", "v2");
    mkdirSync(join(repo, "node_modules"));
    writeFileSync(join(repo, "Pulumi.prod-us-east-1.yaml"), "encryptionsalt: v1:abc\n");
  });

  afterEach(() => {
    git("worktree", "prune");
    rmSync(repo, { recursive: true, force: true });
  });

  it("opens a workspace on a worktree of that revision, with the installed packages and stack settings", async () => {
    const opened: string[] = [];
    const revisions = new ProgramRevisions(repo, async (workDir) => {
      opened.push(workDir);
      return {} as StackFactory;
    });
    await revisions.factoryFor(undefined);
    await revisions.factoryFor("HEAD~1");
    await revisions.factoryFor("HEAD~1");
    expect(opened).to.have.length(2);
    const [current, earlier] = opened as [string, string];
    expect(current).to.equal(repo);
    expect(readFileSync(join(earlier, "infra", "index.ts"), "utf8")).to.equal("// program v1\n");
    expect(lstatSync(join(earlier, "node_modules")).isSymbolicLink()).to.equal(true);
    expect(readFileSync(join(earlier, "Pulumi.prod-us-east-1.yaml"), "utf8")).to.equal("encryptionsalt: v1:abc\n");
    rmSync(earlier, { recursive: true, force: true });
  });

  it("builds that revision's program with that revision's own build script", async () => {
    const build = "node -e \"require('fs').writeFileSync('built', require('fs').readFileSync('infra/index.ts'))\"";
    writeFileSync(join(repo, "package.json"), JSON.stringify({ name: "workload", scripts: { build } }));
    git("add", "package.json");
    git("commit", "-q", "-m", "v3: a build step");
    writeFileSync(join(repo, "infra", "index.ts"), "// program v4\n");
    git("commit", "-q", "-am", "v4");
    const opened: string[] = [];
    const revisions = new ProgramRevisions(repo, async (workDir) => {
      opened.push(workDir);
      return {} as StackFactory;
    });
    await revisions.factoryFor("HEAD~1");
    expect(readFileSync(join(opened[0]!, "built"), "utf8")).to.equal("// program v2\n");
  });

  it("says which revision did not build, and does not open it", async () => {
    writeFileSync(join(repo, "package.json"), JSON.stringify({ name: "workload", scripts: { build: "echo 'infra/index.ts(1,1): error TS1005' >&2; exit 2" } }));
    git("add", "package.json");
    git("commit", "-q", "-m", "v3: a broken build");
    const revision = git("rev-parse", "HEAD");
    let opened = false;
    const revisions = new ProgramRevisions(repo, async () => {
      opened = true;
      return {} as StackFactory;
    });
    const failure = await revisions.factoryFor(revision).catch((error: unknown) => error);
    expect(failure).to.be.instanceOf(DeploymentError);
    expect((failure as Error).message).to.contain(revision).and.contain("error TS1005");
    expect(opened).to.equal(false);
  });

  it("refuses a revision that is not on the main branch, naming it and what to do, without checking it out", async () => {
    git("checkout", "-q", "-b", "unmerged");
    writeFileSync(join(repo, "infra", "index.ts"), "// program from a branch nobody merged\n");
    git("commit", "-q", "-am", "unmerged");
    const revision = git("rev-parse", "HEAD");
    git("checkout", "-q", "main");
    let opened = false;
    const revisions = new ProgramRevisions(repo, async () => {
      opened = true;
      return {} as StackFactory;
    });
    const failure = await revisions.factoryFor(revision).catch((error: unknown) => error);
    expect(failure).to.be.instanceOf(UsageError).with.property("exitCode", 1);
    expect((failure as Error).message).to.contain(revision).and.contain("not on main").and.contain("--current-program");
    expect(opened).to.equal(false);
    expect(git("worktree", "list")).not.to.contain("dcp-program-");
  });

  it("checks against origin's main branch when the clone has one, not the local branch anyone can commit to", async () => {
    const clone = realpathSync(mkdtempSync(join(tmpdir(), "dcp-clone-")));
    try {
      execFileSync("git", ["clone", "-q", repo, clone]);
      execFileSync("git", ["-C", clone, "-c", "user.email=m@example.com", "-c", "user.name=M", "commit", "-q", "--allow-empty", "-m", "local only"]);
      const localOnly = execFileSync("git", ["-C", clone, "rev-parse", "HEAD"], { encoding: "utf8" }).trim();
      const revisions = new ProgramRevisions(clone, async () => ({}) as StackFactory);
      const failure = await revisions.factoryFor(localOnly).catch((error: unknown) => error);
      expect((failure as Error).message).to.contain("not on origin/main");
      await revisions.factoryFor("HEAD~1");
    } finally {
      execFileSync("git", ["-C", clone, "worktree", "prune"]);
      rmSync(clone, { recursive: true, force: true });
    }
  });

  it("checks against the branch pipeline.yaml's mainBranch names, and says so when the clone has no such branch", async () => {
    git("branch", "-m", "main", "trunk");
    const onTrunk = new ProgramRevisions(repo, async () => ({}) as StackFactory, "trunk");
    await onTrunk.factoryFor("HEAD~1");
    const onMain = new ProgramRevisions(repo, async () => ({}) as StackFactory);
    const failure = await onMain.factoryFor("HEAD~1").catch((error: unknown) => error);
    expect(failure).to.be.instanceOf(UsageError);
    expect((failure as Error).message).to.contain("no branch main").and.contain("mainBranch:");
  });

  it("says what to do when the revision is not in this clone", async () => {
    const revisions = new ProgramRevisions(repo, async () => ({}) as StackFactory);
    const failure = await revisions.factoryFor("0123456789abcdef0123456789abcdef01234567").catch((error: unknown) => error);
    expect(failure).to.be.instanceOf(DeploymentError);
    expect((failure as Error).message).to.contain("--current-program");
    expect(existsSync(join(repo, "infra"))).to.equal(true);
  });
});
