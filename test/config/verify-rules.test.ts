import { expect } from "chai";
import * as path from "node:path";
import { loadEnvs } from "../../cli/config/load";
import type { Diagnostic } from "../../cli/errors";
import { EnvsCopy } from "../support/sample-envs";

const HEALTH = `  - type: http
    name: storefront-health
    url: https://{region}.storefront.example.com/{stage}/health
`;

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
});
