import { expect } from "chai";
import * as path from "node:path";
import { mock } from "node:test";
import { loadEnvs } from "../../cli/config/load";
import type { Diagnostic } from "../../cli/errors";
import { EnvsCopy, SAMPLE_ENVS } from "../support/sample-envs";

const TODAY = "2026-11-24";

async function problems(envs: EnvsCopy, today = TODAY): Promise<Diagnostic[]> {
  return (await loadEnvs(envs.dir, { today })).diagnostics;
}

function errorsIn(diagnostics: Diagnostic[], file: string): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === "error" && path.basename(d.file) === file);
}

describe("loading envs/", () => {
  let envs: EnvsCopy;
  beforeEach(() => (envs = new EnvsCopy()));
  afterEach(() => envs.remove());

  it("accepts the sample workload with no error and no warning", async () => {
    const result = await loadEnvs(SAMPLE_ENVS, { today: TODAY });
    expect(result.diagnostics).to.deep.equal([]);
    expect(result.envs?.stages.map((s) => s.name)).to.deep.equal(["beta", "gamma", "prod"]);
    expect(Object.keys(result.envs?.schemas ?? {})).to.have.members(["checkout", "payments", "catalog"]);
  });

  describe("file formats", () => {
    it("reports an unknown key in a stage file at its own line", async () => {
      envs.write("prod.yaml", envs.read("prod.yaml") + "canaryPercent: 5\n");
      const [error, ...rest] = errorsIn(await problems(envs), "prod.yaml");
      expect(rest).to.deep.equal([]);
      expect(error).to.include({ line: envs.lineOf("prod.yaml", "canaryPercent"), col: 1 });
      expect(error?.message).to.match(/unknown key "canaryPercent".*expected one of: account, role/);
    });

    it("reports an unknown key nested inside a wave", async () => {
      envs.replace("gamma.yaml", "    bakeMinutes: 30", "    bakeMinutes: 30\n    parallel: 2");
      const [error] = errorsIn(await problems(envs), "gamma.yaml");
      expect(error).to.include({ line: envs.lineOf("gamma.yaml", "parallel: 2"), col: 5 });
      expect(error?.message).to.include('unknown key "parallel" in "waves.0"');
    });

    it("reports a missing required key of pipeline.yaml", async () => {
      envs.replace("pipeline.yaml", "workload: storefront\n", "");
      const [error] = errorsIn(await problems(envs), "pipeline.yaml");
      expect(error?.message).to.include('missing required key "workload"');
    });

    it("explains a malformed account id and names the offending value's position", async () => {
      envs.replace("beta.yaml", 'account: "111111111111"', 'account: "11111"');
      const [error] = errorsIn(await problems(envs), "beta.yaml");
      expect(error).to.include({ line: envs.lineOf("beta.yaml", "account:"), col: 10 });
      expect(error?.message).to.include("expected a 12-digit AWS account id");
    });

    it("says in its own words that a wave needs a region, not in the schema library's", async () => {
      envs.replace("prod.yaml", "regions: [eu-central-1, ap-southeast-2, ap-northeast-1]", "regions: []");
      const [error] = errorsIn(await problems(envs), "prod.yaml");
      expect(error?.message).to.equal('"waves.2.regions": expected at least 1 item, got []');
    });

    it("says what a flag key must start with", async () => {
      envs.replace("pipeline.yaml", "\n  apple-pay:", "\n  Apple-Pay:");
      const [error] = errorsIn(await problems(envs), "pipeline.yaml");
      expect(error?.message).to.include("a lowercase letter first").and.include('got "Apple-Pay"');
    });

    it("rejects a role ARN that is not an IAM role", async () => {
      envs.replace("beta.yaml", "role: arn:aws:iam::111111111111:role/dcp-deploy", "role: arn:aws:iam::111111111111:user/alice");
      expect(errorsIn(await problems(envs), "beta.yaml")[0]?.message).to.include("expected an IAM role ARN");
    });

    it("accepts a passphrase or an awskms:// key as the secrets provider, and names what it expects otherwise", async () => {
      const withProvider = (provider: string) => envs.replace("pipeline.yaml", /^secretsProvider: .*\n|^(?=workload:)/m, `secretsProvider: ${provider}\n`);
      withProvider("awskms://alias/storefront-state?region=eu-west-1");
      expect(errorsIn(await problems(envs), "pipeline.yaml")).to.deep.equal([]);
      withProvider("gcpkms://projects/p/locations/l/keyRings/r/cryptoKeys/k");
      const [error] = errorsIn(await problems(envs), "pipeline.yaml");
      expect(error?.message).to.include("awskms://");
      expect(error?.line).to.equal(envs.lineOf("pipeline.yaml", "secretsProvider:"));
    });

    it("rejects an alarm statistic CloudWatch does not know", async () => {
      envs.replace("beta.yaml", "statistic: Sum", "statistic: Total");
      expect(errorsIn(await problems(envs), "beta.yaml")[0]?.message).to.include('"alarms.0.statistic"');
    });
  });

  describe("malformed files", () => {
    it("reports broken YAML with its line and never throws", async () => {
      envs.replace("gamma.yaml", "approval: none", "approval: [none");
      const [error] = errorsIn(await problems(envs), "gamma.yaml");
      expect(error?.message).to.match(/^invalid YAML/);
      expect(error?.line).to.be.greaterThan(0);
    });

    it("reports tab indentation once per file, saying to indent with spaces, not a cascade of parse errors", async () => {
      envs.replace("beta.yaml", "    logLevel: DEBUG\n    throttling: { requestsPerSecond: 200", "\tlogLevel: DEBUG\n\tthrottling: { requestsPerSecond: 200");
      const errors = errorsIn(await problems(envs), "beta.yaml");
      expect(errors).to.have.length(1);
      expect(errors[0]?.message).to.match(/^indented with a tab \(2 lines are\): YAML indentation must be spaces/);
    });

    it("reports a duplicate key at the second occurrence", async () => {
      envs.replace("beta.yaml", "approval: none", "approval: none\napproval: manual");
      const [error] = errorsIn(await problems(envs), "beta.yaml");
      expect(error).to.include({ line: envs.lineOf("beta.yaml", "approval: manual") });
      expect(error?.message).to.include("duplicate key");
    });

    it("reports an empty stage file", async () => {
      envs.write("beta.yaml", "# nothing yet\n");
      expect(errorsIn(await problems(envs), "beta.yaml")[0]?.message).to.include("file is empty");
    });

    it("reports a stage file that cannot be read", async () => {
      const { chmodSync } = await import("node:fs");
      if (process.getuid?.() === 0) {
        // root reads any file: emulate an unreadable one with a directory in its place
        envs.remove();
        envs = new EnvsCopy();
        const { rmSync, mkdirSync } = await import("node:fs");
        rmSync(path.join(envs.dir, "beta.yaml"));
        mkdirSync(path.join(envs.dir, "beta.yaml"));
      } else {
        chmodSync(path.join(envs.dir, "beta.yaml"), 0o000);
      }
      expect(errorsIn(await problems(envs), "beta.yaml")[0]?.message).to.include("cannot read file");
    });

    it("bounds YAML alias expansion (billion laughs)", async () => {
      const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
      for (let i = 1; i < 9; i++) {
        const prev = String.fromCharCode(96 + i);
        const name = String.fromCharCode(97 + i);
        lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(",")}]`);
      }
      envs.write("beta.yaml", lines.join("\n") + "\n");
      const [error] = errorsIn(await problems(envs), "beta.yaml");
      expect(error?.message).to.include("too many YAML alias expansions");
      expect(error?.line).to.equal(2);
    });

    it("accepts merge keys that share values between alarms", async () => {
      envs.replace("gamma.yaml", "  - name: checkout-5xx\n", "  - &http5xx\n    name: checkout-5xx\n");
      envs.replace("gamma.yaml", "  - name: payments-errors\n", "  - <<: *http5xx\n    name: payments-errors\n");
      expect(errorsIn(await problems(envs), "gamma.yaml")).to.deep.equal([]);
    });

    it("reports broken YAML in pipeline.yaml alone: without its stage list no stage file can be judged", async () => {
      envs.replace("pipeline.yaml", "stages: [beta, gamma, prod]", "stages: [beta, gamma, prod");
      envs.write("staging.yaml", envs.read("beta.yaml"));
      const result = await loadEnvs(envs.dir, { today: TODAY, stage: "beta", cwd: envs.root });
      expect(result.envs).to.equal(undefined);
      expect(result.diagnostics).to.have.length(1);
      expect(result.diagnostics[0]).to.include({ file: path.join("envs", "pipeline.yaml"), severity: "error" });
      expect(result.diagnostics[0]?.message).to.match(/^invalid YAML: /);
    });

    it("reports a pipeline.yaml that breaks its format once, without judging stage files or --stage against it", async () => {
      envs.replace("pipeline.yaml", "workload: storefront\n", "");
      envs.write("staging.yaml", envs.read("beta.yaml"));
      const result = await loadEnvs(envs.dir, { today: TODAY, stage: "beta", cwd: envs.root });
      expect(result.diagnostics).to.deep.equal([
        { file: path.join("envs", "pipeline.yaml"), line: 3, col: 1, severity: "error", message: 'missing required key "workload" in the file' },
      ]);
    });

    it("names a file given as the envs directory, at no line, and says what --envs takes", async () => {
      const result = await loadEnvs(path.join(envs.dir, "beta.yaml"), { cwd: envs.dir });
      expect(result).to.deep.equal({
        diagnostics: [
          {
            file: "beta.yaml",
            line: 0,
            col: 0,
            severity: "error",
            message: "is a file, not the envs directory: --envs takes the directory that holds pipeline.yaml and the stage files",
          },
        ],
      });
    });

    it("reports a missing envs directory without a stack trace", async () => {
      const result = await loadEnvs(path.join(envs.root, "nowhere"), { cwd: envs.root });
      expect(result).to.deep.equal({
        diagnostics: [
          { file: "nowhere", line: 0, col: 0, severity: "error", message: "envs directory not found; run dcp from the repository root or pass --envs <dir>" },
        ],
      });
    });
  });

  describe("cross-file rules", () => {
    it("requires a file for every stage in pipeline.yaml", async () => {
      envs.replace("pipeline.yaml", "stages: [beta, gamma, prod]", "stages: [beta, gamma, staging, prod]");
      const [error] = errorsIn(await problems(envs), "pipeline.yaml");
      expect(error?.message).to.include('stage "staging" has no file');
      expect(error?.line).to.equal(envs.lineOf("pipeline.yaml", "stages:"));
    });

    it("rejects a stray stage file that pipeline.yaml does not list", async () => {
      envs.write("staging.yaml", envs.read("beta.yaml"));
      const [stray, ...rest] = errorsIn(await problems(envs), "staging.yaml");
      expect(rest).to.deep.equal([]);
      expect(stray).to.include({ line: 1, col: 1, message: "stray stage file: it is not a stage listed in pipeline.yaml (beta, gamma, prod)" });
    });

    it("tells a stage file named .yml to be named .yaml, and leaves files that are not YAML alone", async () => {
      envs.write("beta.yml", envs.read("beta.yaml"));
      envs.write("beta.yaml.orig", envs.read("beta.yaml"));
      const result = await loadEnvs(envs.dir, { today: TODAY, cwd: envs.dir });
      expect(result.diagnostics).to.deep.equal([
        { file: "beta.yml", line: 1, col: 1, severity: "error", message: "stray stage file: stage files are named <stage>.yaml" },
      ]);
    });

    it("refuses a --stage that pipeline.yaml does not list, at the stage list", async () => {
      const result = await loadEnvs(envs.dir, { today: TODAY, stage: "staging", cwd: envs.dir });
      expect(result.envs).to.equal(undefined);
      expect(result.diagnostics).to.deep.equal([
        {
          file: "pipeline.yaml",
          line: envs.lineOf("pipeline.yaml", "stages:"),
          col: 9,
          severity: "error",
          message: 'there is no stage "staging" (asked for with --stage); the stages are beta, gamma, prod',
        },
      ]);
    });

    it("rejects a region that appears twice in one stage", async () => {
      envs.replace("prod.yaml", "regions: [us-west-2, eu-west-1]", "regions: [us-west-2, us-east-1]");
      const [error] = errorsIn(await problems(envs), "prod.yaml");
      expect(error?.message).to.include('region us-east-1 is already in wave "canary"');
      expect(error?.line).to.equal(envs.lineOf("prod.yaml", "regions: [us-west-2, us-east-1]"));
    });

    it("accepts the same region in different stages", async () => {
      expect(errorsIn(await problems(envs), "gamma.yaml")).to.deep.equal([]); // gamma and prod both use us-east-1
    });

    it("rejects a deploy role from another account than the stage's", async () => {
      envs.replace("gamma.yaml", "role: arn:aws:iam::222222222222:role/dcp-deploy", "role: arn:aws:iam::333333333333:role/dcp-deploy");
      expect(errorsIn(await problems(envs), "gamma.yaml")[0]?.message).to.include("deploy role is in account 333333333333");
    });

    it("rejects a production stage that is not a stage", async () => {
      envs.replace("pipeline.yaml", "production: [prod]", "production: [production]");
      expect(errorsIn(await problems(envs), "pipeline.yaml")[0]?.message).to.include('production stage "production" is not in stages');
    });
  });

  describe("component configuration", () => {
    it("validates each component's config against its schema, at the value's line", async () => {
      envs.replace("prod.yaml", "logLevel: ERROR", "logLevel: VERBOSE");
      const [error] = errorsIn(await problems(envs), "prod.yaml");
      expect(error).to.include({ line: envs.lineOf("prod.yaml", "logLevel: VERBOSE"), col: 15 });
      expect(error?.message).to.include('"config.checkout.logLevel": expected one of "DEBUG", "INFO", "WARN", "ERROR"');
    });

    it("reports a connection limit above the schema's maximum", async () => {
      envs.replace("gamma.yaml", "connections: { max: 200", "connections: { max: 5000");
      expect(errorsIn(await problems(envs), "gamma.yaml")[0]?.message).to.include('"config.checkout.connections.max"');
    });

    it("rejects configuration for a component pipeline.yaml does not declare", async () => {
      envs.write("beta.yaml", envs.read("beta.yaml") + "  search:\n    logLevel: INFO\n");
      expect(errorsIn(await problems(envs), "beta.yaml")).to.deep.equal([
        {
          file: path.join(path.relative(process.cwd(), envs.dir), "beta.yaml"),
          line: envs.lineOf("beta.yaml", "search:"),
          col: 3,
          severity: "error",
          message: '"search" is not a component declared in pipeline.yaml (checkout, payments, catalog)',
        },
      ]);
    });

    it("requires configuration for every declared component in every stage, pointing at the stage's config key", async () => {
      envs.replace("beta.yaml", / {2}catalog:\n( {4}.*\n)+/, "");
      const [error, ...rest] = errorsIn(await problems(envs), "beta.yaml");
      expect(rest).to.deep.equal([]);
      expect(error).to.include({ line: envs.lineOf("beta.yaml", "config:"), col: 1, message: 'no configuration for component "catalog" in this stage' });
    });

    it("reports a config section that is not a mapping once, as a format error, not as every component missing", async () => {
      envs.replace("beta.yaml", /^config:\n(.*\n)*/m, "config: []\n");
      envs.replace("gamma.yaml", /^config:\n(.*\n)*/m, "config: ~\n");
      envs.replace("prod.yaml", /^config:\n(.*\n)*/m, "config: 5\n");
      const messages = (await problems(envs)).map((d) => `${path.basename(d.file)}: ${d.message}`);
      expect(messages).to.deep.equal(['beta.yaml: "config": expected object, got []', 'gamma.yaml: "config": expected object, got null', 'prod.yaml: "config": expected object, got 5']);
    });

    it("refuses a schema path that leaves envs/", async () => {
      envs.replace("pipeline.yaml", "schema: schemas/catalog.json", "schema: ../package.json");
      envs.write("../package.json", "{}");
      const [error] = errorsIn(await problems(envs), "pipeline.yaml");
      expect(error?.message).to.include("points outside the envs directory");
      expect(error?.line).to.equal(envs.lineOf("pipeline.yaml", "../package.json"));
    });

    it("reports a schema file that is not valid JSON, at its line", async () => {
      envs.write("schemas/catalog.json", '{\n  "type": "object",\n  "properties": {,}\n}\n');
      const [error] = errorsIn(await problems(envs), "catalog.json");
      expect(error?.message).to.match(/^invalid JSON/);
      expect(error?.line).to.equal(3);
    });

    it("reports a missing schema file", async () => {
      envs.replace("pipeline.yaml", "schema: schemas/catalog.json", "schema: schemas/katalog.json");
      expect(errorsIn(await problems(envs), "pipeline.yaml")[0]?.message).to.include('schema file "schemas/katalog.json" not found');
    });
  });

  describe("flag values against the catalogue", () => {
    it("rejects a flag the catalogue does not declare", async () => {
      envs.replace("gamma.yaml", "  apple-pay: { enabled: true }", "  apple-pay: { enabled: true }\n  google-pay: { enabled: true }");
      const [error] = errorsIn(await problems(envs), "gamma.yaml");
      expect(error?.message).to.include('flag "google-pay" is not declared');
      expect(error).to.include({ line: envs.lineOf("gamma.yaml", "google-pay"), col: 3 });
    });

    it("rejects an attribute value of the wrong type", async () => {
      envs.replace("gamma.yaml", "rolloutPercent: 50", 'rolloutPercent: "50"');
      expect(errorsIn(await problems(envs), "gamma.yaml")[0]?.message).to.include('attribute "rolloutPercent": expected a number, got "50"');
    });

    it("rejects an attribute value outside its constraints", async () => {
      envs.replace("prod.yaml", "rolloutPercent: 10", "rolloutPercent: 110");
      expect(errorsIn(await problems(envs), "prod.yaml")[0]?.message).to.include("110 is above the maximum 100");
    });

    it("rejects a string attribute that does not match its pattern", async () => {
      envs.replace("beta.yaml", "rankingModel: rank-bm25-v3", "rankingModel: BM25");
      expect(errorsIn(await problems(envs), "beta.yaml")[0]?.message).to.include('"BM25" does not match the pattern');
    });

    it("rejects a string value longer than the 1024 characters AppConfig holds, in a list too", async () => {
      envs.replace("beta.yaml", "rankingModel: rank-bm25-v3", `rankingModel: rank-${"x".repeat(1020)}`);
      envs.replace("beta.yaml", "boostCategories: [shoes, outdoor]", `boostCategories: [shoes, ${"y".repeat(1025)}]`);
      const messages = errorsIn(await problems(envs), "beta.yaml").map((e) => e.message);
      expect(messages).to.deep.equal([
        'flag "search-v2" attribute "rankingModel": a string of 1025 characters; AppConfig holds attribute strings of at most 1024',
        'flag "search-v2" attribute "boostCategories": a string of 1025 characters; AppConfig holds attribute strings of at most 1024',
      ]);
    });

    it("rejects an empty list, which AppConfig's feature flags cannot hold", async () => {
      envs.replace("beta.yaml", "boostCategories: [shoes, outdoor]", "boostCategories: []");
      const [error] = errorsIn(await problems(envs), "beta.yaml");
      expect(error).to.include({ line: envs.lineOf("beta.yaml", "boostCategories: []") });
      expect(error?.message).to.equal('flag "search-v2" attribute "boostCategories": an empty list, which AppConfig\'s feature flags cannot hold; give at least one element, or leave the attribute out');
    });

    it("rejects an element of a list attribute of the wrong type", async () => {
      envs.replace("beta.yaml", "boostCategories: [shoes, outdoor]", "boostCategories: [shoes, 7]");
      expect(errorsIn(await problems(envs), "beta.yaml")[0]?.message).to.include("expected a string, got 7");
    });

    it("rejects an attribute the flag does not declare", async () => {
      envs.replace("beta.yaml", "apple-pay: { enabled: true }", "apple-pay: { enabled: true, wallets: 2 }");
      expect(errorsIn(await problems(envs), "beta.yaml")[0]?.message).to.include('flag "apple-pay" has no attribute "wallets"');
    });

    it("requires a required attribute when the flag is enabled", async () => {
      envs.replace("gamma.yaml", "search-v2: { enabled: true, rankingModel: rank-bm25-v3 }", "search-v2: { enabled: true }");
      expect(errorsIn(await problems(envs), "gamma.yaml")[0]?.message).to.include('required attribute "rankingModel"');
    });

    it("warns, without failing, about a flag past its expiry date", async () => {
      const result = await loadEnvs(envs.dir, { today: "2027-02-01" });
      expect(result.envs).to.not.equal(undefined);
      const warnings = result.diagnostics.filter((d) => d.severity === "warning");
      expect(warnings.map((w) => path.basename(w.file))).to.include.members(["pipeline.yaml", "prod.yaml"]);
      const catalogue = warnings.find((w) => w.file.endsWith("pipeline.yaml"));
      expect(catalogue?.message).to.include('"holiday-banner-2026" expired on 2027-01-15');
      expect(catalogue?.line).to.equal(envs.lineOf("pipeline.yaml", "expires: 2027-01-15"));
    });

    it("rejects a flag that names an undeclared component", async () => {
      envs.replace("pipeline.yaml", "components: [payments]\n", "components: [payment]\n");
      expect(errorsIn(await problems(envs), "pipeline.yaml")[0]?.message).to.include('names component "payment"');
    });
  });

  describe("secrets", () => {
    it("rejects an AWS access key id as a config value, at its line, and says where secrets belong", async () => {
      envs.replace("beta.yaml", "cartTtlMinutes: 60", "cartTtlMinutes: 60\n    auditSink: AKIAIOSFODNN7EXAMPLE");
      const secret = errorsIn(await problems(envs), "beta.yaml").find((d) => d.message.includes("secret"));
      expect(secret).to.include({ line: envs.lineOf("beta.yaml", "AKIA"), col: 16 });
      expect(secret?.message).to.include("AWS access key id").and.include("Secrets Manager");
    });

    it("rejects a password in a flag attribute", async () => {
      envs.replace("pipeline.yaml", "    components: [catalog, checkout]\n", "    components: [catalog, checkout]\n    attributes:\n      password: { type: string }\n");
      envs.replace("beta.yaml", "holiday-banner-2026: { enabled: true }", "holiday-banner-2026: { enabled: true, password: hunter2-Secret }");
      const secret = errorsIn(await problems(envs), "beta.yaml").find((d) => d.message.includes("secret"));
      expect(secret?.message).to.include('"password" names a secret');
    });

    it("rejects a secret in pipeline.yaml too", async () => {
      envs.replace("pipeline.yaml", "description: Offer Apple Pay as a payment method", "description: Offer Apple Pay with AKIAIOSFODNN7EXAMPLE");
      const [secret, ...rest] = errorsIn(await problems(envs), "pipeline.yaml");
      expect(rest).to.deep.equal([]);
      expect(secret).to.include({ line: envs.lineOf("pipeline.yaml", "AKIA"), col: 18 });
      expect(secret?.message).to.match(/^possible secret in configuration \(.*AWS access key id/);
    });

    it("does not mistake the sample's ARNs, ids and names for secrets", async () => {
      expect((await problems(envs)).filter((d) => d.message.includes("secret"))).to.deep.equal([]);
    });
  });

  it("gives no configuration to act on when any file has an error", async () => {
    envs.replace("prod.yaml", "regions: [us-west-2, eu-west-1]", "regions: [us-west-2, us-east-1]");
    const result = await loadEnvs(envs.dir, { today: TODAY });
    expect(result.diagnostics.map((d) => d.severity)).to.deep.equal(["error"]);
    expect(result.envs).to.equal(undefined);
  });

  it("shows every path relative to the working directory, and the envs directory itself as .", async () => {
    envs.replace("pipeline.yaml", "schema: schemas/catalog.json", "schema: ../package.json");
    envs.write("../package.json", "{}");
    const fromRoot = await loadEnvs(envs.dir, { today: TODAY, cwd: envs.root });
    expect(fromRoot.diagnostics.map((d) => [d.file, d.message])).to.deep.equal([
      [path.join("envs", "pipeline.yaml"), 'schema path "../package.json" points outside the envs directory; keep component schemas under envs'],
    ]);
    const fromInside = await loadEnvs(envs.dir, { today: TODAY, cwd: envs.dir });
    expect(fromInside.diagnostics.map((d) => [d.file, d.message])).to.deep.equal([
      ["pipeline.yaml", 'schema path "../package.json" points outside the envs directory; keep component schemas under .'],
    ]);
  });

  it("judges flag expiry by today's UTC date when given none: a flag is live through its expiry day", async () => {
    const loadAt = async (isoTime: string) => {
      mock.timers.enable({ apis: ["Date"], now: Date.parse(isoTime) });
      try {
        return await loadEnvs(envs.dir);
      } finally {
        mock.timers.reset();
      }
    };
    expect((await loadAt("2027-01-15T23:59:00Z")).diagnostics).to.deep.equal([]);
    const after = (await loadAt("2027-01-16T00:01:00Z")).diagnostics;
    const enabledAfterExpiry = 'flag "holiday-banner-2026" is enabled here but expired on 2027-01-15';
    expect(after.map((d) => [path.basename(d.file), d.severity, d.message])).to.deep.equal([
      ["beta.yaml", "warning", enabledAfterExpiry],
      ["gamma.yaml", "warning", enabledAfterExpiry],
      ["pipeline.yaml", "warning", 'flag "holiday-banner-2026" expired on 2027-01-15; switch it off, remove it from the code and then from the catalogue'],
      ["prod.yaml", "warning", enabledAfterExpiry],
    ]);
  });

  it("reports every problem of every file in one run, sorted by file and line", async () => {
    envs.replace("beta.yaml", "logLevel: DEBUG", "logLevel: LOUD");
    envs.replace("prod.yaml", "growthFactor: 2", "growthFactor: 0");
    envs.replace("prod.yaml", "pageSize: 24", "pageSize: 25");
    const all = await problems(envs);
    expect(all.map((d) => path.basename(d.file))).to.deep.equal(["beta.yaml", "prod.yaml", "prod.yaml"]);
    expect(all[1]!.line).to.be.lessThan(all[2]!.line);
  });
});
