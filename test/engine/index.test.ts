import { expect } from "chai";
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEngine } from "../../cli/engine";
import { forgetPulumiCli } from "../../cli/engine/pulumi-cli";
import { ConfigError, DeploymentError } from "../../cli/errors";
import type { StackRef } from "../../cli/pipeline/ports";
import { sampleEnvsOf } from "../support/sample-envs";
import { fakePulumiCli, type FakePulumiCli } from "./fake-pulumi-cli";
import { sampleConfig } from "./sample-config";

const gamma: StackRef = { stage: "gamma", region: "us-east-1", name: "gamma-us-east-1" };
/** What the engine's set-up reads from the environment, cleared for each test and put back after. */
const ENVIRONMENT = ["PATH", "CI", "PULUMI_CONFIG_PASSPHRASE", "PULUMI_CONFIG_PASSPHRASE_FILE"] as const;

describe("the engine dcp creates for a repository", () => {
  let root: string;
  let repo: string;
  let cli: FakePulumiCli;
  const saved = new Map<string, string | undefined>();

  beforeEach(() => {
    root = realpathSync(mkdtempSync(join(tmpdir(), "dcp-create-engine-")));
    repo = join(root, "repo");
    mkdirSync(repo);
    writeFileSync(join(repo, "Pulumi.yaml"), "name: storefront\nruntime: nodejs\n");
    cli = fakePulumiCli(join(root, "pulumi"));
    for (const name of ENVIRONMENT) {
      saved.set(name, process.env[name]);
      delete process.env[name];
    }
    process.env.PATH = join(cli.root, "bin");
    forgetPulumiCli();
  });

  afterEach(() => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    forgetPulumiCli();
    rmSync(root, { recursive: true, force: true });
  });

  it("reads the stacks of the repository's project, in pipeline.yaml's state backend, through the pulumi on PATH", async () => {
    const engine = await createEngine(await sampleEnvsOf(), { repoRoot: repo, onNotice: () => undefined });
    expect(await engine.history(gamma)).to.deep.equal([]);
    expect(cli.calls().slice(1)).to.deep.equal([`${repo} file://${repo}/.pulumi-state stack select --stack gamma-us-east-1 --non-interactive`]);
    expect(existsSync(join(repo, ".pulumi-state")), "the file backend's directory").to.equal(true);
  });

  it("previews with the repository's policy pack", async () => {
    const engine = await createEngine(await sampleEnvsOf(), { repoRoot: repo, onNotice: () => undefined });
    // The fake CLI runs no engine: the preview fails, after it was asked for.
    const failure = await engine.preview(gamma, sampleConfig(), { policyConfig: { all: "advisory" } }).catch((error: unknown) => error);
    expect(failure).to.be.instanceOf(DeploymentError);
    const preview = cli.calls().find((call) => call.includes(" preview "));
    expect(preview).to.include(` preview --policy-pack ${repo}/policies --policy-pack-config `);
  });

  it("tells whoever listens that the secrets get an empty passphrase, and stderr when nobody does", async () => {
    const notices: string[] = [];
    await createEngine(await sampleEnvsOf(), { repoRoot: repo, onNotice: (message) => notices.push(message) });
    expect(notices).to.have.length(1);
    expect(notices[0]).to.match(/^PULUMI_CONFIG_PASSPHRASE is not set: stack secrets are encrypted with an empty passphrase\./);

    const printed: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string | Uint8Array) => printed.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
      await createEngine(await sampleEnvsOf(), { repoRoot: repo });
    } finally {
      process.stderr.write = write;
    }
    expect(printed).to.deep.equal([`note: ${notices[0]}\n`]);
  });

  it("says nothing when the passphrase is set", async () => {
    process.env.PULUMI_CONFIG_PASSPHRASE = "s3cret";
    const notices: string[] = [];
    await createEngine(await sampleEnvsOf(), { repoRoot: repo, onNotice: (message) => notices.push(message) });
    expect(notices).to.deep.equal([]);
  });

  it("fails before any work when the repository's Pulumi.yaml names another project", async () => {
    writeFileSync(join(repo, "Pulumi.yaml"), "name: checkout\nruntime: nodejs\n");
    const failure = await createEngine(await sampleEnvsOf(), { repoRoot: repo, onNotice: () => undefined }).catch((error: unknown) => error);
    expect(failure).to.be.instanceOf(ConfigError);
    expect(cli.calls().slice(1), "stacks selected").to.deep.equal([]);
  });
});
