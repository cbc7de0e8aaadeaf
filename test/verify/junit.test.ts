import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { CheckRun } from "../../cli/verify/check-run";
import { CheckReport, escape } from "../../cli/verify/junit";
import { xmlProblem } from "./well-formed";

const START = Date.parse("2026-03-02T09:00:00Z");

function run(stack: string, check: string, outcome: CheckRun["outcome"], detail: string, at = 0): CheckRun {
  const [stage = "", region] = stack.split(/-(.*)/);
  const wave = stage === "prod" ? (region === "us-east-1" ? "canary" : "americas-europe") : stage;
  return { stage, wave, stack, check, type: check === "acceptance" ? "command" : "http", outcome, detail, startedAt: START + at, durationMs: 120 };
}

describe("the JUnit report of the checks", () => {
  // Built for each spec, not once in the describe body: what a spec exercises is then its own.
  let report: CheckReport;
  let xml: string;
  beforeEach(() => {
    report = new CheckReport();
    [
      run("gamma-us-east-1", "storefront-health", "passed", "HTTP 200 from https://us-east-1.storefront.example.com/health after 120 ms"),
      run("gamma-us-east-1", "storefront-health", "passed", "HTTP 200 from https://us-east-1.storefront.example.com/health after 120 ms", 15_000),
      run("gamma-us-east-1", "acceptance", "passed", "exit 0 after 0.1 s"),
      run("prod-us-east-1", "storefront-health", "passed", "HTTP 200 from https://us-east-1.storefront.example.com/health?a=1&b=2 after 120 ms"),
      run("prod-us-east-1", "storefront-health", "failed", 'HTTP 500 from https://us-east-1.storefront.example.com/health?a=1&b=2 after 120 ms, body does not contain "<ok & \'fine\'>"', 15_000),
      run("prod-us-east-1", "acceptance", "failed", "exit 1 after 4.2 s: \u001b[31m✖ checkout\u001b[0m <Cart> failed \u0007 ]]>"),
    ].forEach(report.record);
    xml = report.toJUnit();
  });

  it("is well-formed XML whatever the URLs and command output contain", () => {
    expect(xmlProblem(xml)).to.equal(undefined);
  });

  it("has one testsuite per stack of a wave and one testcase per check, with the totals", () => {
    expect(xml).to.match(/<testsuites name="dcp verify" tests="4" failures="2" time="0\.720">/);
    expect(xml).to.include('<testsuite name="gamma-us-east-1 (gamma wave gamma)" tests="2" failures="0"');
    expect(xml).to.include('<testsuite name="prod-us-east-1 (prod wave canary)" tests="2" failures="2"');
    expect(xml.match(/<testcase /g)).to.have.length(4);
    expect(xml).to.include('<testcase classname="gamma.gamma.gamma-us-east-1" name="storefront-health" time="0.240">');
  });

  it("gives a failed check a failure with the failed run's detail as its message, escaped", () => {
    expect(xml.match(/<failure /g)).to.have.length(2);
    expect(xml).to.include(
      '<failure message="HTTP 500 from https://us-east-1.storefront.example.com/health?a=1&amp;b=2 after 120 ms, body does not contain &quot;&lt;ok &amp; &apos;fine&apos;&gt;&quot;" type="http">1 of 2 run(s) failed',
    );
    expect(xml).to.include('message="exit 1 after 4.2 s: ✖ checkout &lt;Cart&gt; failed  ]]&gt;" type="command"');
  });

  it("lists every run of a check with its time and result", () => {
    expect(xml).to.include("<system-out>2026-03-02T09:00:00.000Z passed HTTP 200 from https://us-east-1.storefront.example.com/health after 120 ms\n2026-03-02T09:00:15.000Z passed");
  });

  it("is an empty, valid report when no check ran", () => {
    const empty = new CheckReport().toJUnit();
    expect(xmlProblem(empty)).to.equal(undefined);
    expect(empty).to.include('<testsuites name="dcp verify" tests="0" failures="0" time="0.000">');
  });

  it("the well-formedness check itself rejects what a careless writer produces", () => {
    const head = '<?xml version="1.0" encoding="UTF-8"?>\n';
    expect(xmlProblem(`${head}<a><b></a></b>`)).to.be.a("string");
    expect(xmlProblem(`${head}<a m="x & y"/>`)).to.be.a("string");
    expect(xmlProblem(`${head}<a>1 < 2</a>`)).to.be.a("string");
    expect(xmlProblem(`${head}<a>\u001b[31m</a>`)).to.be.a("string");
  });

  it("is, for one stack's check that failed once in two runs, exactly the document CI systems read", () => {
    const one = new CheckReport();
    one.record({ ...run("gamma-us-east-1", "acceptance", "passed", "exit 0 after 1.5 s"), durationMs: 1_500 });
    one.record({ ...run("gamma-us-east-1", "acceptance", "failed", "exit 1 after 2.0 s: FAIL checkout", 300_000), durationMs: 2_000 });

    expect(one.toJUnit()).to.equal(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="dcp verify" tests="1" failures="1" time="3.500">',
        '  <testsuite name="gamma-us-east-1 (gamma wave gamma)" tests="1" failures="1" errors="0" skipped="0" time="3.500" timestamp="2026-03-02T09:00:00.000Z">',
        '    <testcase classname="gamma.gamma.gamma-us-east-1" name="acceptance" time="3.500">',
        '      <failure message="exit 1 after 2.0 s: FAIL checkout" type="command">1 of 2 run(s) failed\nexit 1 after 2.0 s: FAIL checkout</failure>',
        "      <system-out>2026-03-02T09:00:00.000Z passed exit 0 after 1.5 s\n2026-03-02T09:05:00.000Z failed exit 1 after 2.0 s: FAIL checkout</system-out>",
        "    </testcase>",
        "  </testsuite>",
        "</testsuites>",
        "",
      ].join("\n"),
    );
  });

  it("lists the detail of every failed run of a check under its failure", () => {
    const twice = new CheckReport();
    twice.record(run("gamma-us-east-1", "acceptance", "failed", "exit 1 after 2.0 s: FAIL checkout"));
    twice.record(run("gamma-us-east-1", "acceptance", "failed", "exit 1 after 2.1 s: FAIL login", 300_000));

    expect(twice.toJUnit()).to.include('type="command">2 of 2 run(s) failed\nexit 1 after 2.0 s: FAIL checkout\nexit 1 after 2.1 s: FAIL login</failure>');
  });

  it("keeps tabs, line breaks and every printable character, and drops what XML 1.0 cannot carry", () => {
    expect(escape("a\tb\nc\rd")).to.equal("a\tb\nc\rd");
    expect(escape("bell\u0007 nul\u0000 unit\u001f space\u0020end")).to.equal("bell nul unit space end");
    expect(escape("\ud7ff\ue000\ufffd")).to.equal("\ud7ff\ue000\ufffd");
    expect(escape("lone \ud800 surrogate, \ufffe and \uffff")).to.equal("lone  surrogate,  and ");
    expect(escape("✔ passed 🎉")).to.equal("✔ passed 🎉");
    expect(escape("\u{10000} first of the supplementary planes")).to.equal("\u{10000} first of the supplementary planes");
  });

  it("writes the report where the operator asked, making its folders", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "dcp-junit-"));
    try {
      const file = path.join(dir, "reports", "verify", "junit.xml");
      await report.write(file);
      expect(readFileSync(file, "utf8")).to.equal(xml);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("redacts a secret a command printed before it reaches the report", () => {
    const token = "ghp" + "_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
    const leaky = new CheckReport();
    leaky.record(run("gamma-us-east-1", "acceptance", "failed", `exit 1 after 0.3 s: login failed with ${token}`));
    const report = leaky.toJUnit();
    expect(report).to.not.include(token);
    expect(report).to.include("login failed with [redacted]");
  });
});
