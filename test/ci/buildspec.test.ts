import { expect } from "chai";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { dcpInvocations, parseWithoutRunning } from "./dcp-invocations";

interface Buildspec {
  phases: Record<string, { commands?: string[]; "runtime-versions"?: Record<string, unknown> }>;
  reports: Record<string, { "base-directory": string; files: string[]; "file-format": string }>;
}
interface Workflow {
  jobs: Record<string, { steps: Array<{ name?: string; uses?: string; run?: string; with?: Record<string, unknown> }> }>;
}

const ROOT = path.resolve(__dirname, "../..");
/** A command's program and first two arguments: what makes it the same step in either CI system. */
const headOf = (command: string) => command.trim().split(/\s+/).slice(0, 3).join(" ");

describe("the CodeBuild build stage (buildspec.yml)", () => {
  const buildspec = parse(readFileSync(path.join(ROOT, "buildspec.yml"), "utf8")) as Buildspec;
  const commands = Object.values(buildspec.phases).flatMap((phase) => phase.commands ?? []);
  const workflow = parse(readFileSync(path.join(ROOT, ".github/workflows/pipeline.yml"), "utf8")) as Workflow;

  it("runs dcp validate, with command lines this dcp accepts", () => {
    const invocations = commands.flatMap(dcpInvocations);
    expect(invocations.map((argv) => argv[0])).to.include("validate");
    for (const argv of invocations) expect(parseWithoutRunning(argv), argv.join(" ")).to.deep.include({ ok: true });
  });

  it("runs every command the GitHub workflow's build job runs, but the packing of the deploy jobs' build", () => {
    const workflowCommands = workflow.jobs["build"]!.steps
      .filter((step) => step.run !== undefined && !/^Pack the build/.test(step.name ?? ""))
      .flatMap((step) => step.run!.replace(/\\\r?\n\s*/g, " ").split("\n"))
      .filter((line) => line.trim() !== "");
    const ours = commands.map((command) => command.replace(/\s+/g, " "));
    for (const command of workflowCommands) {
      expect(ours.some((line) => line.startsWith(headOf(command))), command).to.equal(true);
    }
    expect(buildspec.reports["unit-tests"]).to.deep.equal({ "base-directory": "reports", files: ["junit.xml"], "file-format": "JUNITXML" });
  });

  it("runs on the workflow's Node.js and pipes nothing it downloads into a shell", () => {
    const setupNode = workflow.jobs["build"]!.steps.find((step) => step.uses?.startsWith("actions/setup-node@"));
    expect(buildspec.phases["install"]?.["runtime-versions"]?.["nodejs"]).to.equal(setupNode?.with?.["node-version"]);
    for (const command of commands) expect(command).not.to.match(/(curl|wget)[^|]*\|\s*(ba|z)?sh\b/);
  });
});
