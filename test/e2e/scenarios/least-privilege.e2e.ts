/**
 * The deploy role `dcp iam` prints is enough, and no more: a release and a rollback on the
 * real engine, every AWS call the provider makes logged with its condition keys, each judged
 * against the stage's generated policies by the test IAM evaluator.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { StageIam } from "../../../cli/iam/stage-iam";
import { evaluate, type AuthorizationRequest } from "../iam/evaluate";
import type { AwsCall } from "../provider/call-log";
import { ScratchRepo, type DcpRun } from "../harness/scratch-repo";
import { world } from "../harness/world";

const STAGES = ["beta", "gamma"];

function explain(run: DcpRun): string {
  return `exit ${run.status}\nstdout:\n${run.stdout.slice(-3000)}\nstderr:\n${run.stderr.slice(-3000)}`;
}

function requestOf(call: AwsCall): AuthorizationRequest {
  return { action: `${call.service}:${call.action}`, resource: call.resource ?? "*", context: call.context };
}

/** Whose credentials make a call: the pipeline role assumes the deploy role; everything else is the deploy role's. */
function verdict(iams: StageIam[], call: AwsCall): string {
  // STS: "No permissions are required to perform this operation" (GetCallerIdentity, STS API Reference).
  if (call.service === "sts" && call.action === "GetCallerIdentity") return "allow";
  if (call.service === "sts" && call.action === "AssumeRole") {
    const iam = iams.find((candidate) => candidate.deployRole.arn === call.resource);
    return iam === undefined ? "no stage" : evaluate([iam.pipelineRole.policy], requestOf(call));
  }
  const iam = iams.find((candidate) => candidate.account === call.account);
  return iam === undefined ? "no stage" : evaluate([iam.deployRole.policy], requestOf(call));
}

describe("the deploy role's policy against a release and a rollback on the real engine", () => {
  let repo: ScratchRepo;
  let iams: StageIam[];
  let calls: AwsCall[];

  before(async () => {
    const w = await world();
    repo = ScratchRepo.create(w, "iam");
    iams = await repo.prepareAccounts(STAGES);
    const log = join(repo.dir, "..", `${repo.workload}-calls.ndjson`);
    const env = repo.env({ DCP_E2E_AWS_CALL_LOG: log });
    const first = await repo.dcp(["release", "--to", "gamma", "--json"], env);
    expect(first.status, explain(first)).to.equal(0);
    repo.editStage("gamma", (text) => text.replace("    cartTtlMinutes: 60", "    cartTtlMinutes: 15"));
    repo.commit("gamma: shorter carts");
    const second = await repo.dcp(["release", "--to", "gamma", "--json"], env);
    expect(second.status, explain(second)).to.equal(0);
    const rollback = await repo.dcp(["rollback", "gamma", "--json"], env);
    expect(rollback.status, explain(rollback)).to.equal(0);
    calls = readFileSync(log, "utf8")
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as AwsCall);
  });

  it("makes every AWS call of the release and the rollback with a permission the stage's policies grant", () => {
    const refused = calls.filter((call) => verdict(iams, call) !== "allow");
    expect(refused.map((call) => `${verdict(iams, call)}: ${JSON.stringify(call)}`)).to.deep.equal([]);
    const actions = new Set(calls.map((call) => `${call.service}:${call.action}`));
    // The calls that need the policy's conditions were made, so the check above judged them.
    expect([...actions]).to.include.members([
      "iam:CreateRole",
      "iam:PassRole",
      "appconfig:CreateApplication",
      "appconfig:CreateEnvironment",
      "appconfig:StartDeployment",
      "appconfig:CreateHostedConfigurationVersion",
      "cloudwatch:PutMetricAlarm",
      "sns:CreateTopic",
      "sts:AssumeRole",
    ]);
  });

  it("would refuse the same calls aimed outside the workload: another role, no boundary, another service, another workload's AppConfig", () => {
    const createRole = calls.find((call) => call.action === "CreateRole")!;
    expect(verdict(iams, createRole)).to.equal("allow");
    expect(verdict(iams, { ...createRole, resource: createRole.resource!.replace(/role\/.*$/, "role/admin") })).to.equal("implicit-deny");
    const { ["iam:PermissionsBoundary"]: _boundary, ...unbounded } = createRole.context;
    expect(verdict(iams, { ...createRole, context: unbounded })).to.equal("implicit-deny");

    const passRole = calls.find((call) => call.action === "PassRole")!;
    expect(verdict(iams, { ...passRole, context: { "iam:PassedToService": "ec2.amazonaws.com" } })).to.equal("implicit-deny");

    const use = calls.find((call) => call.service === "appconfig" && call.action === "ListTagsForResource")!;
    expect(verdict(iams, use)).to.equal("allow");
    expect(verdict(iams, { ...use, context: { ...use.context, "aws:ResourceTag/workload": "payroll" } })).to.equal("implicit-deny");

    const created = calls.find((call) => call.action === "CreateApplication")!;
    expect(verdict(iams, { ...created, context: { ...created.context, "aws:RequestTag/workload": "payroll" } })).to.equal("implicit-deny");

    const assume = calls.find((call) => call.action === "AssumeRole")!;
    const pipeline = iams.find((iam) => iam.deployRole.arn === assume.resource)!;
    expect(evaluate([pipeline.pipelineRole.policy], { action: "sts:AssumeRole", resource: "arn:aws:iam::333333333333:role/dcp-deploy" })).to.equal("implicit-deny");
  });
});
