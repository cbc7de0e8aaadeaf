import { expect } from "chai";
import { ScratchRepo, type DcpRun } from "../harness/scratch-repo";
import { world, type World } from "../harness/world";

/** Every engine-backed command a person might run on a machine that is not set up. */
const COMMANDS = [
  ["release", "--to", "beta"],
  ["preview", "--stage", "beta"],
  ["rollback", "beta"],
  ["drift", "beta"],
  ["status", "beta"],
  ["history", "beta"],
];

describe("dcp on a machine that is not set up for the engine", () => {
  let w: World;
  let repo: ScratchRepo;
  let paymentsBefore: unknown;
  let updatesBefore: number;

  before(async () => {
    w = await world();
    repo = ScratchRepo.create(w, "setup");
    const release = await repo.dcp(["release", "--to", "beta", "--json"]);
    expect(release.status, release.stderr + release.stdout).to.equal(0);
    // A change waiting to be released, so a release that got past its setup would deploy it.
    repo.editStage("beta", (text) => text.replace("    providerTimeoutMs: 5000", "    providerTimeoutMs: 4000"));
    repo.commit("beta: payments time out sooner");
    paymentsBefore = await repo.served("beta", "us-west-2", "payments");
    updatesBefore = await updatesOfBeta();
  });

  /** Updates in beta's history: a release makes one per deployed profile and one for its bake. */
  async function updatesOfBeta(): Promise<number> {
    const history = await repo.dcp(["history", "beta", "--json"]);
    expect(history.status, history.stderr).to.equal(0);
    const [beta] = JSON.parse(history.stdout) as Array<{ entries: unknown[] }>;
    return beta?.entries.length ?? 0;
  }

  /** Exit 1, the advice and no stack trace, and nothing new served or recorded. */
  async function refusedEverywhere(env: Record<string, string>, commands: string[][], advice: RegExp): Promise<void> {
    for (const args of commands) {
      const run: DcpRun = await repo.dcp(args, env);
      const said = `dcp ${args.join(" ")}: ${run.stderr}${run.stdout}`;
      expect(run.status, said).to.equal(1);
      expect(run.stderr, said).to.match(advice).and.not.match(/\n\s+at |Command failed with exit code/);
    }
    expect(await repo.served("beta", "us-west-2", "payments"), "what beta serves").to.deep.equal(paymentsBefore);
    expect(await updatesOfBeta(), "updates recorded").to.equal(updatesBefore);
  }

  it("with a wrong passphrase, refuses every command with exit 1 naming PULUMI_CONFIG_PASSPHRASE, and deploys nothing", async () => {
    const env = repo.env({ PULUMI_CONFIG_PASSPHRASE: "not the one the stacks were created with" });
    await refusedEverywhere(env, COMMANDS, /set PULUMI_CONFIG_PASSPHRASE \(or PULUMI_CONFIG_PASSPHRASE_FILE\)/);
  });

  it("without AWS credentials, refuses every command that reaches AWS with exit 1 naming what to set, and deploys nothing", async () => {
    const env = repo.env();
    delete env.AWS_ACCESS_KEY_ID;
    delete env.AWS_SECRET_ACCESS_KEY;
    const reachingAws = COMMANDS.filter(([command]) => ["release", "preview", "drift", "status"].includes(command ?? ""));
    await refusedEverywhere(env, reachingAws, /AWS credentials are missing, invalid or expired: set AWS_ACCESS_KEY_ID/);
  });

  it("with a state backend it cannot reach, refuses every command with exit 1 saying so, and deploys nothing", async () => {
    const unreachable = repo.clone("setup-unreachable");
    unreachable.editFile("envs/pipeline.yaml", (text) =>
      text.replace(/^state: .*$/m, "state: s3://dcp-state?endpoint=127.0.0.1:9&disableSSL=true&s3ForcePathStyle=true&region=us-east-1"),
    );
    for (const args of [["release", "--to", "beta"], ["history", "beta"]]) {
      const run = await unreachable.dcp(args);
      expect(run.status, run.stderr).to.equal(1);
      expect(run.stderr).to.contain("the state backend cannot be reached").and.contain("envs/pipeline.yaml's `state`");
    }
    expect(await repo.served("beta", "us-west-2", "payments"), "what beta serves").to.deep.equal(paymentsBefore);
  });
});
