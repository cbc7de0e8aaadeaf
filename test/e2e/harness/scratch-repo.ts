/**
 * A workload repository made for one scenario, as a user has one: dcp's program, policy
 * pack and compiled JavaScript, the e2e fixture as envs/ (pointed at the local AWS, with
 * a workload name of its own so scenarios never share AWS resources), committed to git,
 * and a file:// state backend inside it. dcp runs as a child process, as a user runs it.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import type { StageIam } from "../../../cli/iam/stage-iam";
import { engineEnv } from "../engine/engine";
import { MINUTE_MS, PROVIDER_DIR, type World } from "./world";

const ROOT = resolve(__dirname, "../../..");
const FIXTURE = resolve(__dirname, "../fixture/envs");
const COPIED = ["cli", "infra", "policies", "scripts", "dist", "package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json", "Pulumi.yaml", ".gitignore"];

export interface DcpRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The NDJSON events of a `--json` run. */
  events: Array<{ type: string } & Record<string, unknown>>;
}

export class ScratchRepo {
  private constructor(
    readonly world: World,
    readonly dir: string,
    readonly workload: string,
  ) {}

  static create(world: World, name: string): ScratchRepo {
    if (!existsSync(join(ROOT, "dist", "cli", "main.js"))) throw new Error("dcp is not built: run `npm run build` first");
    const dir = join(world.scratch, name);
    mkdirSync(dir, { recursive: true });
    for (const entry of COPIED) {
      cpSync(join(ROOT, entry), join(dir, entry), { recursive: true, filter: (source) => !source.includes("node_modules") });
    }
    cpSync(FIXTURE, join(dir, "envs"), { recursive: true });
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
    const repo = new ScratchRepo(world, dir, `shop-${name}`);
    mkdirSync(repo.stateDir, { recursive: true });
    // The team's state backend, outside the repository, as an S3 bucket would be: a clone
    // of the repository releases and rolls back the same stacks.
    repo.editFile("envs/pipeline.yaml", (text) =>
      text.replace(/^workload: .*$/m, `workload: ${repo.workload}`).replace(/^state: .*$/m, `state: file://${repo.stateDir}`),
    );
    repo.editFile("Pulumi.yaml", (text) => text.replace(/^name: .*$/m, `name: ${repo.workload}`));
    for (const stage of ["beta", "gamma", "prod"]) {
      repo.editStage(stage, (text) => text.replace(/^endpoint: .*$/m, `endpoint: ${world.aws.endpoint}`));
    }
    repo.git("init", "--quiet", "--initial-branch=main");
    // .gitignore's `node_modules/` matches a directory, and here it is a symlink.
    appendFileSync(join(dir, ".git", "info", "exclude"), "node_modules\n");
    repo.commit("the workload, as the fixture has it");
    return repo;
  }

  /** A fresh clone of this repository (installed packages linked, program built), as a colleague's laptop has it. */
  clone(name: string): ScratchRepo {
    const dir = join(this.world.scratch, name);
    execFileSync("git", ["clone", "--quiet", this.dir, dir]);
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
    execFileSync("npm", ["run", "--silent", "build"], { cwd: dir, stdio: "ignore" });
    return new ScratchRepo(this.world, dir, this.workload);
  }

  editFile(path: string, edit: (text: string) => string): void {
    const file = join(this.dir, path);
    writeFileSync(file, edit(readFileSync(file, "utf8")));
  }

  editStage(stage: string, edit: (text: string) => string): void {
    this.editFile(join("envs", `${stage}.yaml`), edit);
  }

  git(...args: string[]): string {
    return execFileSync("git", ["-c", "user.email=e2e@dcp.test", "-c", "user.name=dcp e2e", ...args], { cwd: this.dir, encoding: "utf8" }).trim();
  }

  commit(message: string): string {
    this.git("add", "-A");
    this.git("commit", "--quiet", "--allow-empty", "-m", message);
    return this.git("rev-parse", "HEAD");
  }

  /** Where this workload's Pulumi state lives: shared by the repository and its clones. */
  get stateDir(): string {
    return join(this.world.scratch, "state", this.workload);
  }

  /** The environment dcp runs with: the real engine, the test provider, the local AWS's throwaway credentials. */
  env(overrides: Record<string, string> = {}): Record<string, string> {
    const base = engineEnv({ backendDir: this.stateDir, pulumiHome: join(this.world.scratch, "pulumi-home", this.workload) }, this.world.engine);
    return {
      ...base,
      PATH: [PROVIDER_DIR, base["PATH"] ?? "", dirname(process.execPath)].join(delimiter),
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      AWS_REGION: "us-east-1",
      DCP_E2E_MINUTE_MS: String(MINUTE_MS),
      NO_COLOR: "1",
      CI: "true",
      ...overrides,
    };
  }

  /** Starts `dcp <args>` in the repository; for scenarios that signal it while it runs. */
  start(args: string[], env: Record<string, string> = this.env()): ChildProcess {
    return spawn(process.execPath, [join(this.dir, "cli", "bin.js"), ...args], { cwd: this.dir, env, stdio: ["ignore", "pipe", "pipe"] });
  }

  /** Runs `dcp <args>` to the end. */
  dcp(args: string[], env: Record<string, string> = this.env()): Promise<DcpRun> {
    return finished(this.start(args, env));
  }

  /**
   * What a platform team does once per account before the first release: each stage's
   * permissions boundary, created from what `dcp iam` prints. Returns those documents.
   */
  async prepareAccounts(stages: string[]): Promise<StageIam[]> {
    const documents: StageIam[] = [];
    const created = new Set<string>();
    for (const stage of stages) {
      const run = await this.dcp(["iam", "--stage", stage, "--json"]);
      if (run.status !== 0) throw new Error(`dcp iam --stage ${stage} failed: ${run.stderr}`);
      const iam = JSON.parse(run.stdout) as StageIam;
      const { name, arn, policy } = iam.permissionsBoundary;
      if (!created.has(arn)) await this.world.aws.createPolicy(name, JSON.stringify(policy), iam.deployRole.arn);
      created.add(arn);
      documents.push(iam);
    }
    return documents;
  }

  /** What an application of this workload reads from AppConfig in one stack right now. */
  served(stage: string, region: string, profile: string): Promise<unknown> {
    return this.world.aws.served(region, this.workload, stage, profile);
  }
}

export function finished(child: ChildProcess): Promise<DcpRun> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolveRun, reject) => {
    child.once("error", reject);
    child.once("close", (status) => resolveRun({ status, stdout, stderr, events: parseEvents(stdout) }));
  });
}

function parseEvents(stdout: string): DcpRun["events"] {
  return stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as DcpRun["events"][number]];
      } catch {
        return [];
      }
    });
}
