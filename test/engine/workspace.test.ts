import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { ProgramRevisions } from "../../cli/engine/revisions";
import { SetupError, UsageError } from "../../cli/errors";
import { openWorkspace, resolveBackend, workspaceEnvironment, workspaceOptions } from "../../cli/engine/workspace";
import { PulumiCommand } from "@pulumi/pulumi/automation";
import { ConfigError, DeploymentError } from "../../cli/errors";
import type { StackFactory } from "../../cli/engine/pulumi-engine";
import { fakePulumiCli } from "./fake-pulumi-cli";

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

describe("the Pulumi workspace's refusals and notices", () => {
  const local = resolveBackend(undefined, "/repo");
  const shared = resolveBackend("s3://state/shop", "/repo");

  it("names the file:// backend it refuses in CI, and both ways out", () => {
    const error = (() => {
      try {
        workspaceEnvironment(local, { CI: "true", PULUMI_CONFIG_PASSPHRASE: "s3cret" });
      } catch (e) {
        return e;
      }
    })();
    expect(error).to.be.instanceOf(SetupError).and.include({ problem: "backend-local" });
    expect((error as Error).message).to.equal(
      "the state backend is file:///repo/.pulumi-state, on this CI runner's disk: the stacks' state and release history go when the runner does. " +
        "Set `state:` in envs/pipeline.yaml to a shared backend (s3://bucket/prefix), or DCP_ALLOW_LOCAL_STATE=1 on a runner whose disk persists",
    );
  });

  it("says in CI where the passphrase comes from", () => {
    expect(() => workspaceEnvironment(shared, { CI: "true" }))
      .to.throw(
        SetupError,
        "PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) is not set: in CI dcp refuses to encrypt the stacks' secrets with an empty passphrase. " +
          "Set it from a CI secret, the same one on every machine that releases",
      )
      .with.property("problem", "passphrase");
  });

  it("takes CI to be unset when CI is empty, 0 or false in any case", () => {
    for (const ci of ["", "0", "false", "FALSE"]) {
      expect(() => workspaceEnvironment(local, { CI: ci }), `CI=${ci}`).not.to.throw();
    }
    expect(() => workspaceEnvironment(local, { CI: "yes" })).to.throw(SetupError);
  });

  it("points the engine at the backend, skips the CLI's update check, and tells how to protect the secrets", () => {
    expect(workspaceEnvironment(local, {})).to.deep.equal({
      envVars: { PULUMI_BACKEND_URL: "file:///repo/.pulumi-state", PULUMI_SKIP_UPDATE_CHECK: "true", PULUMI_CONFIG_PASSPHRASE: "" },
      notice:
        "PULUMI_CONFIG_PASSPHRASE is not set: stack secrets are encrypted with an empty passphrase. " +
        "Set it (or PULUMI_CONFIG_PASSPHRASE_FILE) to protect them; use the same one on every machine that releases.",
    });
    expect(workspaceEnvironment(shared, { PULUMI_CONFIG_PASSPHRASE: "s3cret" })).to.deep.equal({
      envVars: { PULUMI_BACKEND_URL: "s3://state/shop", PULUMI_SKIP_UPDATE_CHECK: "true" },
    });
  });
});

describe("opening the Pulumi workspace", () => {
  let root: string;
  let repo: string;

  beforeEach(() => {
    root = realpathSync(mkdtempSync(join(tmpdir(), "dcp-workspace-")));
    repo = join(root, "repo");
    mkdirSync(repo);
    writeFileSync(join(repo, "Pulumi.yaml"), "name: storefront\nruntime: nodejs\n");
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  async function open(state: string, workload = "storefront") {
    const cli = fakePulumiCli(join(root, "pulumi"));
    const backend = resolveBackend(state, repo);
    const { envVars } = workspaceEnvironment(backend, {});
    const factory = await openWorkspace({ workDir: repo, workload, backend, envVars, pulumiCommand: await PulumiCommand.get({ root: cli.root }) });
    return { cli, factory };
  }

  it("selects stacks in the project directory with the backend's environment, and creates a missing one with the backend's secrets provider", async () => {
    const { cli, factory } = await open("file://state/stacks");
    cli.addStack("gamma-us-east-1");
    expect((await factory.select("gamma-us-east-1")).name).to.equal("gamma-us-east-1");
    expect((await factory.createOrSelect("prod-us-east-1")).name).to.equal("prod-us-east-1");
    const backend = `file://${repo}/state/stacks`;
    expect(cli.calls().slice(1)).to.deep.equal([
      `${repo} ${backend} stack select --stack gamma-us-east-1 --non-interactive`,
      `${repo} ${backend} stack select --stack prod-us-east-1 --non-interactive`,
      `${repo} ${backend} stack init prod-us-east-1 --secrets-provider passphrase --non-interactive`,
    ]);
  });

  it("creates no directory for a backend that is not a file backend", async () => {
    const { factory } = await open("s3://storefront-state/team");
    expect(factory).to.have.keys("select", "createOrSelect");
    expect(readdirSync(repo)).to.deep.equal(["Pulumi.yaml"]);
  });

  it("creates the file backend's directory, and opens it again when it exists", async () => {
    await open("file://state/stacks");
    expect(existsSync(join(repo, "state", "stacks"))).to.equal(true);
    await open("file://state/stacks");
  });

  it("refuses a Pulumi.yaml that names another project than the workload", async () => {
    const failure = await open("file://state", "checkout").catch((error: unknown) => error);
    expect(failure).to.be.instanceOf(ConfigError);
    expect((failure as Error).message).to.equal(
      `Pulumi.yaml in ${repo} names the project "storefront" but envs/pipeline.yaml's workload is "checkout": they must be the same`,
    );
  });

  it("says there is no Pulumi project when Pulumi.yaml is missing", async () => {
    rmSync(join(repo, "Pulumi.yaml"));
    const failure = await open("file://state").catch((error: unknown) => error);
    expect(failure).to.be.instanceOf(ConfigError);
    expect((failure as Error).message).to.match(new RegExp(`^no Pulumi project in ${repo}: .+`));
  });
});

describe("running the program of an earlier git revision", () => {
  let repo: string;
  const git = (...args: string[]) => execFileSync("git", ["-C", repo, ...args], { encoding: "utf8" }).trim();
  /** What dcp would run at exit (removing its worktrees), kept from the process: each test runs it itself. */
  let atExit: Array<() => void>;
  const once = process.once;

  beforeEach(() => {
    atExit = [];
    process.once = ((event: string, listener: () => void) => {
      if (event !== "exit") return once.call(process, event, listener);
      atExit.push(listener);
      return process;
    }) as typeof process.once;
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
    process.once = once;
    for (const handler of atExit) handler();
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
  });

  it("copies the stack settings files only, and names the worktree after the commit", async () => {
    writeFileSync(join(repo, "Pulumi.prod-us-east-1.yaml.orig"), "encryptionsalt: v1:old\n");
    writeFileSync(join(repo, "old-Pulumi.prod.yaml"), "encryptionsalt: v1:old\n");
    const opened: string[] = [];
    const revisions = new ProgramRevisions(repo, async (workDir) => {
      opened.push(workDir);
      return {} as StackFactory;
    });
    await revisions.factoryFor("HEAD~1");
    const [earlier] = opened as [string];
    expect(readdirSync(earlier).filter((file) => file.includes("Pulumi"))).to.deep.equal(["Pulumi.prod-us-east-1.yaml"]);
    expect(basename(earlier)).to.match(new RegExp(`^dcp-program-${git("rev-parse", "HEAD~1").slice(0, 12)}-`));
  });

  it("links the policy pack's installed packages where the revision has a policy pack, and nothing this checkout has not installed", async () => {
    mkdirSync(join(repo, "policies"));
    writeFileSync(join(repo, "policies", "index.ts"), "// pack\n");
    git("add", "policies");
    git("commit", "-q", "-m", "v3: a policy pack");
    const opened: string[] = [];
    const revisions = new ProgramRevisions(repo, async (workDir) => {
      opened.push(workDir);
      return {} as StackFactory;
    });
    await revisions.factoryFor("HEAD");
    mkdirSync(join(repo, "policies", "node_modules"));
    await revisions.factoryFor("HEAD~1");
    await revisions.factoryFor(git("rev-parse", "HEAD"));
    const [uninstalled, withoutPack, installed] = opened as [string, string, string];
    expect(readdirSync(join(uninstalled, "policies"))).to.deep.equal(["index.ts"]);
    expect(readdirSync(withoutPack)).not.to.include("policies");
    expect(lstatSync(join(installed, "policies", "node_modules")).isSymbolicLink()).to.equal(true);
  });

  it("runs each revision's program from a worktree of its own", async () => {
    const opened: string[] = [];
    const revisions = new ProgramRevisions(repo, async (workDir) => {
      opened.push(workDir);
      return {} as StackFactory;
    });
    await revisions.factoryFor("HEAD~1");
    await revisions.factoryFor("HEAD");
    const [v1, v2] = opened as [string, string];
    expect(readFileSync(join(v1, "infra", "index.ts"), "utf8")).to.equal("// program v1\n");
    expect(readFileSync(join(v2, "infra", "index.ts"), "utf8")).to.equal("// program v2\n");
  });

  it("removes each worktree when dcp exits, even one git will not remove", async () => {
    const opened: string[] = [];
    const revisions = new ProgramRevisions(repo, async (workDir) => {
      opened.push(workDir);
      return {} as StackFactory;
    });
    await revisions.factoryFor("HEAD~1");
    await revisions.factoryFor("HEAD");
    const [removable, locked] = opened as [string, string];
    git("worktree", "lock", locked);
    const printed: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string | Uint8Array) => printed.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
      for (const handler of atExit.splice(0)) handler();
    } finally {
      process.stderr.write = write;
    }
    expect(existsSync(removable), "removed by git").to.equal(false);
    expect(git("worktree", "list")).not.to.contain(removable);
    expect(existsSync(locked), "removed from disk").to.equal(false);
    expect(printed, "git's complaints at exit").to.deep.equal([]);
  });

  it("exits quietly when the worktree was already removed, by a temp cleaner say", async () => {
    const opened: string[] = [];
    const revisions = new ProgramRevisions(repo, async (workDir) => {
      opened.push(workDir);
      return {} as StackFactory;
    });
    await revisions.factoryFor("HEAD~1");
    const [worktree] = opened as [string];
    git("worktree", "lock", worktree);
    rmSync(worktree, { recursive: true, force: true });
    for (const handler of atExit.splice(0)) expect(handler).not.to.throw();
  });

  it("tries again after a workspace failed to open, rather than remembering the failure", async () => {
    let attempts = 0;
    const revisions = new ProgramRevisions(repo, async () => {
      attempts += 1;
      if (attempts === 1) throw new ConfigError("no Pulumi project");
      return {} as StackFactory;
    });
    expect(await revisions.factoryFor(undefined).catch((error: unknown) => error)).to.be.instanceOf(ConfigError);
    await revisions.factoryFor(undefined);
    expect(attempts).to.equal(2);
  });

  it("runs a revision without a build script as it is", async () => {
    writeFileSync(join(repo, "package.json"), JSON.stringify({ name: "workload" }));
    git("add", "package.json");
    git("commit", "-q", "-m", "v3: a manifest without scripts");
    let opened = false;
    const revisions = new ProgramRevisions(repo, async () => {
      opened = true;
      return {} as StackFactory;
    });
    await revisions.factoryFor("HEAD");
    expect(opened).to.equal(true);
  });

  it("shows the last five lines of what a failed build printed", async () => {
    const build = "for i in 1 2 3 4 5 6 7; do echo \"error $i\" >&2; done; exit 2";
    writeFileSync(join(repo, "package.json"), JSON.stringify({ name: "workload", scripts: { build } }));
    git("add", "package.json");
    git("commit", "-q", "-m", "v3: a build that fails loudly");
    const opened: string[] = [];
    const revisions = new ProgramRevisions(repo, async (workDir) => {
      opened.push(workDir);
      return {} as StackFactory;
    });
    const failure = await revisions.factoryFor("HEAD").catch((error: unknown) => error);
    expect((failure as Error).message).to.match(
      /^the program at git revision HEAD did not build \(npm run build in \/.+\/dcp-program-[0-9a-f]{12}-\w+\): error 3\nerror 4\nerror 5\nerror 6\nerror 7$/,
    );
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
    expect((failure as Error).message).to.equal(
      `refusing to run the program of git revision ${revision}, which the release to roll back to names: it is not on main, ` +
        "and dcp runs only merged code with a stage's role, whoever can write the state backend. " +
        "Merge it into main (and fetch), or pass --current-program to apply the recorded configuration with today's program",
    );
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
    expect((failure as Error).message).to.equal(
      "the release to roll back to was made from git revision 0123456789abcdef0123456789abcdef01234567, which this clone does not have: " +
        "fetch it, or pass --current-program to run today's program",
    );
    expect(existsSync(join(repo, "infra"))).to.equal(true);
  });
});
