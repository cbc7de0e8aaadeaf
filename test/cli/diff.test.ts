import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { runDcp } from "../support/run-dcp";

describe("dcp diff", () => {
  it("prints one line per value that differs between two stages, <path>  <from> → <to>, offline (exit 0)", () => {
    const run = runDcp(["diff", "--from", "gamma", "--to", "prod"]);
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/^flags\.one-page-checkout\.rolloutPercent +50 → 10$/m);
    expect(run.stdout).to.match(/^config\.checkout\.logLevel +INFO → ERROR$/m);
    expect(run.stdout).to.match(/^alarms\.checkout-5xx\.threshold +10 → 5$/m);
    expect(run.stdout).not.to.match(/^flags\.apple-pay\.enabled/m);
  });

  it("gives [{ path, from, to }] with --json, an unset value as null", () => {
    const run = runDcp(["diff", "--from", "gamma", "--to", "prod", "--json"]);
    expect(run.status, run.stderr).to.equal(0);
    const changes = JSON.parse(run.stdout) as { path: string; from: unknown; to: unknown }[];
    expect(changes).to.deep.include({ path: "flags.saved-cards.enabled", from: true, to: false });
    expect(changes).to.deep.include({ path: "alarms.catalog-throttles.threshold", from: null, to: 100 });
  });

  it("appends the diff as a Markdown table to the file --markdown names", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "dcp-diff-"));
    try {
      const file = path.join(dir, "summary.md");
      expect(runDcp(["diff", "--from", "beta", "--to", "gamma", "--markdown", file]).status).to.equal(0);
      expect(runDcp(["diff", "--from", "gamma", "--to", "prod", "--markdown", file]).status).to.equal(0);
      const markdown = readFileSync(file, "utf8");
      expect(markdown).to.include("### Values: beta → gamma").and.include("### Values: gamma → prod");
      expect(markdown).to.include("| `flags.one-page-checkout.rolloutPercent` | `50` | `10` |");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses an unknown stage naming the stages there are (exit 1, a usage error)", () => {
    const run = runDcp(["diff", "--from", "gama", "--to", "prod"]);
    expect(run.status).to.equal(1);
    expect(run.stderr).to.include('unknown stage "gama"; the stages are beta, gamma, prod');
  });

  it("refuses --from without --to, and --from with --stage", () => {
    expect(runDcp(["diff", "--from", "beta"]).stderr).to.include("--from and --to go together");
    const both = runDcp(["diff", "--from", "beta", "--to", "prod", "--stage", "prod"]);
    expect(both.status).to.equal(1);
    expect(both.stderr).to.include("name either --from and --to");
  });
});
