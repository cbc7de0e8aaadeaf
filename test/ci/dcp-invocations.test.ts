import { expect } from "chai";
import { validateCommand } from "../../cli/commands/validate";
import { parser } from "../../cli/main";
import { dcpInvocations, parseWithoutRunning } from "./dcp-invocations";

describe("reading dcp command lines out of a CI script", () => {
  it("finds npx dcp and bare dcp commands, with npx's own options skipped", () => {
    const script = ["npm ci", "npx dcp validate --json", "npx --no-install dcp status prod", "dcp plan --to prod"].join("\n");
    expect(dcpInvocations(script)).to.deep.equal([["validate", "--json"], ["status", "prod"], ["plan", "--to", "prod"]]);
  });

  it("joins continued lines and stops each command at a pipe, a redirection, && or ;", () => {
    const script = [
      "npx dcp release --to beta --json \\",
      "  --report reports/beta.xml | tee reports/beta.ndjson",
      "npx dcp validate --json > reports/validate.json 2>&1",
      "mkdir -p out && npx dcp history prod; echo done",
    ].join("\n");
    expect(dcpInvocations(script)).to.deep.equal([
      ["release", "--to", "beta", "--json", "--report", "reports/beta.xml"],
      ["validate", "--json"],
      ["history", "prod"],
    ]);
  });

  it("keeps quoted words whole, reads a GitHub expression as one word, and ignores comments and other commands' arguments", () => {
    const script = [
      `npx dcp release --to prod --skip-soak --reason "hotfix for \${{ github.sha }}"`,
      "# npx dcp rollback prod",
      "echo npx dcp drift",
      "grep dcp README.md",
    ].join("\n");
    expect(dcpInvocations(script)).to.deep.equal([["release", "--to", "prod", "--skip-soak", "--reason", "hotfix for EXPR"]]);
  });
});

describe("parsing a dcp command line without running it", () => {
  it("returns the parsed options of a command line dcp accepts", () => {
    const result = parseWithoutRunning(["release", "--to", "prod", "--approve", "--json"]);
    expect(result.ok).to.be.true;
    if (result.ok) {
      expect(result.command).to.deep.equal(["release"]);
      expect(result.args).to.include({ to: "prod", approve: true, json: true });
    }
  });

  it("does not run the command", async () => {
    const original = validateCommand.run;
    const ran: string[] = [];
    validateCommand.run = async () => {
      ran.push("validate");
      return 0;
    };
    try {
      expect(parseWithoutRunning(["validate"]).ok).to.be.true;
      expect(ran, "parsed without running").to.deep.equal([]);
      await parser(["validate"]).parseAsync();
      expect(ran, "the same command line, parsed the ordinary way").to.deep.equal(["validate"]);
    } finally {
      validateCommand.run = original;
    }
  });

  it("rejects an option the command does not have", () => {
    expect(parseWithoutRunning(["release", "--to", "beta", "--reprot", "x.xml"])).to.deep.include({ ok: false });
    expect(parseWithoutRunning(["release", "--to", "beta", "--reprot", "x.xml"])).to.have.property("error").that.includes("Unknown argument: reprot");
  });

  it("rejects an unknown command, a missing required option and a missing subcommand", () => {
    expect(parseWithoutRunning(["deploy", "--to", "beta"])).to.have.property("error").that.includes('unknown command "deploy"');
    expect(parseWithoutRunning(["release", "--json"])).to.have.property("error").that.includes("--to is required: dcp release --to <stage>");
    expect(parseWithoutRunning(["hooks"])).to.have.property("error").that.includes("hooks subcommand");
  });

  it("rejects --help and --version, which a pipeline has no use for", () => {
    expect(parseWithoutRunning(["release", "--to", "beta", "--help"])).to.have.property("error").that.includes("Unknown argument: help");
    expect(parseWithoutRunning(["--version"])).to.deep.include({ ok: false });
  });
});
