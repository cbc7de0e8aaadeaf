import { expect } from "chai";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { cacheDir, cachedValidation } from "../../cli/offline/validate-cache";
import { validate, type ValidateOptions } from "../../cli/offline/validate";
import { EnvsCopy } from "../support/sample-envs";

describe("dcp validate's report cache", () => {
  let envs: EnvsCopy;
  let dir: string;
  let computed: number;
  const counted = (options: ValidateOptions) => {
    computed++;
    return validate(options);
  };
  /** `code: null` runs as from source, with no build id. */
  const run = (options: Partial<ValidateOptions> = {}, code: string | null = "build-1") =>
    cachedValidation({ envsDir: envs.dir, stage: "prod", today: "2026-11-25", ...options }, counted, { dir, code: code ?? undefined });

  beforeEach(() => {
    envs = new EnvsCopy();
    dir = mkdtempSync(path.join(tmpdir(), "dcp-cache-"));
    computed = 0;
  });
  afterEach(() => {
    envs.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it("gives the same report again without running the program or the pack, for unchanged envs/", async () => {
    envs.replace("prod.yaml", "logLevel: ERROR", "logLevel: DEBUG");
    const first = await run();
    const second = await run();
    expect(computed).to.equal(1);
    expect(second).to.deep.equal(first);
    expect(second.findings.map((f) => f.violation.policy)).to.include("no-debug-logging-in-production");
  });

  it("re-records and re-evaluates the stacks when an envs file changed, reporting what the change broke", async () => {
    const before = await run();
    expect(before.violations).to.deep.equal([]);
    envs.replace("prod.yaml", "logLevel: ERROR", "logLevel: DEBUG");
    const after = await run();
    expect(computed).to.equal(2);
    expect(after.violations.map((v) => v.policy)).to.include("no-debug-logging-in-production");
  });

  it("re-validates when a component schema in a subdirectory changed", async () => {
    await run();
    const schema = JSON.parse(envs.read("schemas/checkout.json")) as Record<string, unknown>;
    envs.write("schemas/checkout.json", JSON.stringify({ ...schema, required: ["noSuchSetting"] }));
    const after = await run();
    expect(computed).to.equal(2);
    expect(after.diagnostics.map((d) => d.message).join("\n")).to.match(/noSuchSetting/);
  });

  it("re-validates on another day (flags expire), for another stage, and after a rebuild", async () => {
    await run();
    await run({ today: "2026-11-26" });
    await run({ stage: "gamma" });
    await run({}, "build-2");
    expect(computed).to.equal(4);
  });

  it("caches nothing when dcp runs from source, with no build to name", async () => {
    await run({}, null);
    await run({}, null);
    expect(computed).to.equal(2);
  });

  it("leaves a missing envs directory to validate, uncached", async () => {
    const missing = await run({ envsDir: path.join(envs.root, "nowhere") });
    await run({ envsDir: path.join(envs.root, "nowhere") });
    expect(computed).to.equal(2);
    expect(missing.diagnostics).to.have.length(1);
  });

  it("treats an unreadable cache entry as a miss", async () => {
    await run();
    for (const name of readdirSync(path.join(dir, "validate"))) writeFileSync(path.join(dir, "validate", name), "{not json");
    const report = await run();
    expect(computed).to.equal(2);
    expect(report.stacks).to.equal(6);
  });

  it("lives in DCP_CACHE_DIR, else under XDG_CACHE_HOME", () => {
    expect(cacheDir({ DCP_CACHE_DIR: "/c" })).to.equal("/c");
    expect(cacheDir({ XDG_CACHE_HOME: "/x" })).to.equal(path.join("/x", "dcp"));
  });
});
