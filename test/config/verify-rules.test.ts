import { expect } from "chai";
import * as path from "node:path";
import { Diagnostics } from "../../cli/config/diagnostics";
import type { StageFile } from "../../cli/config/formats/stage-file";
import { loadEnvs } from "../../cli/config/load";
import { parseYaml } from "../../cli/config/source";
import { checkVerify } from "../../cli/config/verify-rules";
import type { Diagnostic } from "../../cli/errors";
import { EnvsCopy } from "../support/sample-envs";

const HEALTH = `  - type: http
    name: storefront-health
    url: https://{region}.storefront.example.com/{stage}/health
`;

/** checkVerify's findings for stage "beta" (waves in us-west-2, then eu-west-1) whose verify checks are these YAML lines (from line 6). */
function verifyFindings(...lines: string[]): string[] {
  const text = ["waves:", "  - { name: one, regions: [us-west-2] }", "  - { name: two, regions: [eu-west-1] }", "# checks", "verify:", ...lines, ""].join("\n");
  const { source } = parseYaml(text, "envs/beta.yaml");
  const diagnostics = new Diagnostics();
  checkVerify("beta", source!.data as StageFile, source!, diagnostics);
  return diagnostics.all.map((d) => `${d.line}:${d.col} ${d.message}`);
}

describe("the verify section of a stage file", () => {
  let envs: EnvsCopy;
  beforeEach(() => (envs = new EnvsCopy()));
  afterEach(() => envs.remove());

  const betaErrors = async (verify: string): Promise<Diagnostic[]> => {
    envs.write("beta.yaml", envs.read("beta.yaml").replace(/\nverify:[\s\S]*?(?=\n\S|$)/, "") + `\nverify:\n${verify}`);
    const { diagnostics } = await loadEnvs(envs.dir, { today: "2026-11-24" });
    return diagnostics.filter((d) => d.severity === "error" && path.basename(d.file) === "beta.yaml");
  };

  it("accepts http and command checks with every option", async () => {
    const errors = await betaErrors(`${HEALTH}    method: GET
    expectStatus: 200
    bodyContains: ok
    jsonPath: $.checks.database
    equals: up
    latencyBudgetMs: 800
    intervalSeconds: 15
    timeoutMs: 2000
  - type: command
    name: acceptance
    run: [npm, run, acceptance]
    timeoutSeconds: 600
    intervalSeconds: 900
    cwd: tests/acceptance
    passEnv: [SMOKE_TEST_USER, AWS_REGION]
  - type: command
    name: smoke
    run: ./smoke.sh --stack "$DCP_STACK"
    timeoutSeconds: 60
`);
    expect(errors).to.deep.equal([]);
  });

  it("rejects an unknown key in a check at its own line", async () => {
    const [error] = await betaErrors(`${HEALTH}    retries: 3\n`);
    expect(error).to.include({ line: envs.lineOf("beta.yaml", "retries: 3") });
    expect(error?.message).to.include('unknown key "retries"');
  });

  it("refuses a command check that asks for one of dcp's credentials, at the name's line", async () => {
    const verify = `  - type: command\n    name: acceptance\n    run: npm test\n    timeoutSeconds: 60\n    passEnv:\n      - SMOKE_TEST_USER\n      - AWS_SECRET_ACCESS_KEY\n      - PULUMI_CONFIG_PASSPHRASE\n      - ACTIONS_ID_TOKEN_REQUEST_TOKEN\n`;
    const errors = await betaErrors(verify);
    expect(errors.map((e) => e.line)).to.deep.equal(["AWS_SECRET_ACCESS_KEY", "PULUMI_CONFIG_PASSPHRASE", "ACTIONS_ID_TOKEN_REQUEST_TOKEN"].map((name) => envs.lineOf("beta.yaml", `- ${name}`)));
    expect(errors[0]?.message).to.match(/expected an environment variable name that is not a credential of dcp's .*, got "AWS_SECRET_ACCESS_KEY"/);
  });

  it("requires a time limit on a command check", async () => {
    const [error] = await betaErrors(`  - type: command\n    name: acceptance\n    run: npm test\n`);
    expect(error?.message).to.include('missing required key "timeoutSeconds"');
  });

  it("rejects a check type it does not know", async () => {
    const errors = await betaErrors(`  - type: grpc\n    name: ping\n`);
    expect(errors).to.have.length(1);
    expect(errors[0]?.message).to.match(/expected one of "http", "command", got "grpc"/);
  });

  it("wants a JSON path and the value it must equal together", async () => {
    const [error] = await betaErrors(`${HEALTH}    jsonPath: $.status\n`);
    expect(error?.message).to.include("equals");
  });

  it("rejects a URL that is not http(s) once the placeholders are filled in", async () => {
    const [error] = await betaErrors(`  - type: http\n    name: health\n    url: ftp://{region}.example.com/health\n`);
    expect(error).to.include({ line: envs.lineOf("beta.yaml", "url: ftp://") });
    expect(error?.message).to.include('expected an http(s) URL, got "ftp://us-west-2.example.com/health" for region us-west-2');
  });

  it("rejects a placeholder other than {stage} and {region}", async () => {
    const [error] = await betaErrors(`  - type: http\n    name: health\n    url: https://{account}.example.com/health\n`);
    expect(error?.message).to.include("unknown placeholder {account}");
  });

  it("rejects two checks of the same name", async () => {
    const errors = await betaErrors(HEALTH + HEALTH);
    expect(errors.map((e) => e.message)).to.deep.equal(['check name "storefront-health" is used twice in this stage']);
  });

  describe("rules the schema cannot express", () => {
    it("accepts plain http as well as https, with the placeholders filled in", () => {
      expect(verifyFindings("  - { type: http, name: a, url: 'http://{region}.internal/{stage}' }", "  - { type: http, name: b, url: 'https://example.com' }")).to.deep.equal([]);
    });

    it("refuses a check name used twice, at the second name", () => {
      expect(verifyFindings("  - { type: command, name: smoke, run: a, timeoutSeconds: 1 }", "  - { type: command, name: smoke, run: b, timeoutSeconds: 1 }")).to.deep.equal([
        '7:28 check name "smoke" is used twice in this stage',
      ]);
    });

    it("refuses an unknown placeholder at the URL, naming the ones it knows", () => {
      expect(verifyFindings("  - type: http", "    name: a", "    url: https://{stage}.{account}.example.com")).to.deep.equal([
        "8:10 unknown placeholder {account} in the URL; expected {stage} or {region}",
      ]);
    });

    it("refuses a URL that does not parse for some region, once, naming the region", () => {
      expect(verifyFindings("  - type: http", "    name: a", "    url: https://{region}.exa mple.com")).to.deep.equal([
        '8:10 expected an http(s) URL, got "https://us-west-2.exa mple.com" for region us-west-2',
      ]);
    });
  });
});
