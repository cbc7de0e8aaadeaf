// The real Pulumi engine, end to end: the CLI built from its Go module (build-engine.sh) with
// our test language host, against a file backend, running a plain JavaScript program and a
// JavaScript policy pack, directly and through the Automation API.
//   npx mocha -r tsx/cjs --timeout 300000 test/e2e/engine/engine.e2e.ts
// The first run may build the CLI (10-20 minutes); later runs take it from the cache.
import { execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import { LanguageRuntimeClient } from "@pulumi/pulumi/proto/language_grpc_pb";
import { GetRequiredPackagesRequest, GetRequiredPluginsRequest, ProgramInfo } from "@pulumi/pulumi/proto/language_pb";
import { expect } from "chai";
import { compareVersions } from "../../../cli/engine/pulumi-version";
import { type EngineDirs, engineEnv, locateEngine, pinnedCliVersion, pulumiCommandRoot } from "./engine";

const repoRoot = path.resolve(__dirname, "../../..");
const nodeModules = path.join(repoRoot, "node_modules");
const packageVersion = (name: string): string =>
  (JSON.parse(fs.readFileSync(path.join(nodeModules, name, "package.json"), "utf8")) as { version: string }).version;

/** Writes `files` into `dir`, with node_modules linked to the repo's so @pulumi/* resolve. */
function fixture(dir: string, files: Record<string, string>): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.symlinkSync(nodeModules, path.join(dir, "node_modules"));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

// Plain JavaScript, so the SDK must not load ts-node: `typescript: false` has to reach it.
const program = {
  "Pulumi.yaml": "name: e2e-engine\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: program.js\n",
  "package.json": JSON.stringify({ name: "e2e-engine", version: "0.0.0", private: true }),
  "program.js": `const pulumi = require("@pulumi/pulumi");
const config = new pulumi.Config();
module.exports = {
  greeting: "hello " + config.require("name"),
  token: config.requireSecret("token"),
  stack: pulumi.getStack(),
};
`,
};

const policyPack = {
  "PulumiPolicy.yaml": "runtime:\n  name: nodejs\n  options:\n    typescript: false\ndescription: refuses every stack\n",
  "package.json": JSON.stringify({ name: "e2e-policy", version: "0.0.1", private: true }),
  "index.js": `const { PolicyPack } = require("@pulumi/policy");
new PolicyPack("e2e-policy", {
  policies: [{
    name: "no-stack-allowed",
    description: "Refuses every stack, so a preview must fail.",
    enforcementLevel: "mandatory",
    validateStack: (_stack, reportViolation) => reportViolation("e2e policy refuses stack " + process.env.PULUMI_NODEJS_STACK),
  }],
});
`,
};

describe("the real Pulumi engine (e2e)", function () {
  let dirs: EngineDirs;
  let tmp: string;
  let env: Record<string, string>;
  let programDir: string;
  let policyDir: string;

  function pulumi(args: string[], cwd = programDir): Promise<{ code: number; output: string; stdout: string }> {
    return new Promise((resolve) =>
      execFile(path.join(dirs.pulumiDir, "pulumi"), [...args, "--non-interactive"], { cwd, env, maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, output: stdout + stderr, stdout }),
      ),
    );
  }

  before(async function () {
    // A cold build of the CLI takes 10-20 minutes on two cores.
    this.timeout(40 * 60 * 1000);
    dirs = await locateEngine();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dcp-engine-e2e-"));
    env = engineEnv({ backendDir: path.join(tmp, "state"), pulumiHome: path.join(tmp, "home") }, dirs);
    fs.mkdirSync(path.join(tmp, "state"));
    programDir = fixture(path.join(tmp, "program"), program);
    policyDir = fixture(path.join(tmp, "policy"), policyPack);
    for (const args of [["stack", "init", "dev"], ["config", "set", "name", "world"], ["config", "set", "--secret", "token", "s3cret"]]) {
      const res = await pulumi(args);
      expect(res.code, res.output).to.equal(0);
    }
  });

  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("runs the CLI that go.mod pins (or a newer one on PATH), no older than the SDK, and a language host of the SDK's version", () => {
    const sdk = packageVersion("@pulumi/pulumi");
    const pinned = pinnedCliVersion();
    expect(compareVersions(pinned, sdk), `go.mod's CLI ${pinned} vs SDK ${sdk}`).to.be.at.least(0);
    expect(compareVersions(dirs.pulumiVersion, pinned), `${dirs.pulumiVersion} vs go.mod's ${pinned}`).to.be.at.least(0);
    expect(dirs.languageHostVersion).to.equal(`v${sdk}`);
  });

  it("reports the resource plugins the program's node_modules ask for, like the real host", async () => {
    const host = spawn(path.join(dirs.languageHostDir, "pulumi-language-nodejs"), [], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      const port = await new Promise<string>((resolve, reject) => {
        host.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
        host.once("exit", (code) => reject(new Error(`language host exited with ${code}`)));
      });
      const client = new LanguageRuntimeClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
      const info = new ProgramInfo().setRootDirectory(programDir).setProgramDirectory(programDir).setEntryPoint(".");
      const packages = await new Promise<{ name: string; kind: string; version: string }[]>((resolve, reject) =>
        client.getRequiredPackages(new GetRequiredPackagesRequest().setInfo(info), (err, res) =>
          err ? reject(err) : resolve(res.getPackagesList().map((p) => ({ name: p.getName(), kind: p.getKind(), version: p.getVersion() }))),
        ),
      );
      expect(packages).to.deep.include({ name: "aws", kind: "resource", version: `v${packageVersion("@pulumi/aws")}` });
      // The engine only falls back to GetRequiredPlugins for hosts that predate GetRequiredPackages.
      const code = await new Promise<number | undefined>((resolve) =>
        client.getRequiredPlugins(new GetRequiredPluginsRequest().setInfo(info), (err) => resolve(err?.code)),
      );
      expect(code).to.equal(grpc.status.UNIMPLEMENTED);
      client.close();
    } finally {
      host.kill();
    }
  });

  it("deploys a JavaScript program and reads its outputs, secrets included, back", async () => {
    const started = Date.now();
    const up = await pulumi(["up", "--yes", "--skip-preview"]);
    process.stderr.write(`      pulumi up took ${Date.now() - started} ms\n`);
    expect(up.code, up.output).to.equal(0);
    expect(up.output).to.include("hello world");
    expect(up.output).not.to.include("s3cret");

    const outputs = await pulumi(["stack", "output", "--json", "--show-secrets"]);
    expect(outputs.code, outputs.output).to.equal(0);
    expect(JSON.parse(outputs.stdout)).to.deep.equal({ greeting: "hello world", token: "s3cret", stack: "dev" });
    const hidden = await pulumi(["stack", "output", "--json"]);
    expect(JSON.parse(hidden.stdout)).to.deep.include({ token: "[secret]" });
  });

  it("fails a preview when a JavaScript policy pack reports a mandatory violation", async () => {
    const preview = await pulumi(["preview", "--policy-pack", policyDir]);
    expect(preview.code, preview.output).to.not.equal(0);
    expect(preview.output).to.include("no-stack-allowed");
    expect(preview.output).to.include("mandatory");
    // The host handed the stack's identity to the pack, as the real one does.
    expect(preview.output).to.include("e2e policy refuses stack dev");
  });

  it("updates through the Automation API and records the update in the stack's history", async () => {
    const pulumiCommand = await PulumiCommand.get({ root: pulumiCommandRoot(dirs.pulumiDir, path.join(tmp, "cli")) });
    const stack = await LocalWorkspace.createOrSelectStack({ stackName: "auto", workDir: programDir }, { pulumiCommand, envVars: env });
    await stack.setAllConfig({ name: { value: "automation" }, token: { value: "t0ken", secret: true } });

    const up = await stack.up();
    expect(up.summary.result).to.equal("succeeded");
    expect(up.outputs.greeting).to.deep.equal({ value: "hello automation", secret: false });
    expect(up.outputs.token).to.deep.equal({ value: "t0ken", secret: true });

    const history = await stack.history(undefined, undefined, true);
    expect(history).to.have.length(1);
    expect(history[0]).to.deep.include({ kind: "update", result: "succeeded" });
    expect(history[0]?.config["e2e-engine:name"]).to.deep.equal({ value: "automation", secret: false });
  });
});
