import { expect } from "chai";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { dcpInvocations, parseWithoutRunning } from "./dcp-invocations";

interface Buildspec {
  phases: Record<string, { commands?: string[] }>;
  reports: Record<string, { "base-directory": string; files: string[]; "file-format": string }>;
}

describe("the CodeBuild build stage (buildspec.yml)", () => {
  const buildspec = parse(readFileSync(path.resolve(__dirname, "../../buildspec.yml"), "utf8")) as Buildspec;
  const commands = Object.values(buildspec.phases).flatMap((phase) => phase.commands ?? []);

  it("runs dcp validate, with command lines this dcp accepts", () => {
    const invocations = commands.flatMap(dcpInvocations);
    expect(invocations.map((argv) => argv[0])).to.include("validate");
    for (const argv of invocations) expect(parseWithoutRunning(argv), argv.join(" ")).to.deep.include({ ok: true });
  });

  it("runs the same build steps as the GitHub workflow and reports the unit tests as JUnit", () => {
    const script = commands.join("\n");
    for (const step of ["npm run lint", "npm run typecheck", "npm run test:ci", "gitleaks", "npm audit --audit-level=high", "cyclonedx-npm"]) {
      expect(script).to.include(step);
    }
    expect(buildspec.reports["unit-tests"]).to.deep.equal({ "base-directory": "reports", files: ["junit.xml"], "file-format": "JUNITXML" });
  });
});
