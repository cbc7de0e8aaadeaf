/**
 * AppConfig runs one deployment per environment at a time, and beta here rolls each one
 * out over a few (scaled) minutes: a release that changes two profiles of a stack deploys
 * them one after the other, a rollback during a rollout stops it first, and a component
 * removed from envs/ is removed from AppConfig, yet a rollback can bring it back.
 */
import { expect } from "chai";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { AppConfigView } from "../harness/appconfig-view";
import { finished, ScratchRepo, type DcpRun } from "../harness/scratch-repo";
import { world } from "../harness/world";

const REGION = "us-west-2";
const INVENTORY = "  inventory:\n    logLevel: INFO\n    throttling: { requestsPerSecond: 10, burst: 20 }\n    connections: { max: 5, idleTimeoutSeconds: 15 }\n    providerTimeoutMs: 1000\n";

function explain(run: DcpRun): string {
  return `exit ${run.status}\nstdout:\n${run.stdout.slice(-4000)}\nstderr:\n${run.stderr.slice(-4000)}`;
}

function eventsOf(run: DcpRun, type: string): Array<Record<string, unknown>> {
  return run.events.filter((event) => event.type === type);
}

describe("AppConfig deployments rolled out over minutes, on the real engine", () => {
  let repo: ScratchRepo;
  let view: AppConfigView;
  let callLog: string;

  /** The AppConfig calls the provider made since the log was last cleared. */
  function calls(action: string): unknown[] {
    const lines = readFileSync(callLog, "utf8").split("\n").filter((line) => line.length > 0);
    writeFileSync(callLog, "");
    return lines.map((line) => JSON.parse(line) as { action: string }).filter((call) => call.action === action);
  }

  function release(): Promise<DcpRun> {
    return repo.dcp(["release", "--to", "beta", "--json"], repo.env({ DCP_E2E_AWS_CALL_LOG: callLog }));
  }

  before(async () => {
    const w = await world();
    repo = ScratchRepo.create(w, "deployments");
    view = new AppConfigView(w.aws.endpoint);
    callLog = join(repo.dir, "aws-calls.ndjson");
    writeFileSync(callLog, "");
    // 3 minutes of rollout and 1 of final bake, for every deployment.
    repo.editStage("beta", (text) => text.replace("  durationMinutes: 0", "  durationMinutes: 3").replace("  finalBakeMinutes: 0", "  finalBakeMinutes: 1"));
    repo.commit("beta: a rollout that takes minutes");
    const first = await release();
    expect(first.status, explain(first)).to.equal(0);
  });

  it("deploys the two profiles a release changes one after the other, and succeeds with no deployment refused", async () => {
    calls("StartDeployment");
    repo.editStage("beta", (text) => text.replace("  apple-pay: { enabled: true }", "  apple-pay: { enabled: false }").replace("    cartTtlMinutes: 60", "    cartTtlMinutes: 30"));
    repo.commit("beta: no Apple Pay, shorter carts");

    const run = await release();

    expect(run.status, explain(run)).to.equal(0);
    expect(eventsOf(run, "appconfig-deploying").map((e) => e["profile"])).to.deep.equal(["feature-flags", "checkout"]);
    expect(eventsOf(run, "appconfig-deployed").map((e) => e["state"])).to.deep.equal(["COMPLETE", "COMPLETE"]);
    // One StartDeployment per deployment: the provider never had a ConflictException to retry.
    expect(calls("StartDeployment")).to.have.length(2);
    const deployments = await view.deployments(REGION, repo.workload, "beta");
    expect(deployments.slice(-2).map((d) => [d.profile, d.state])).to.deep.equal([
      ["feature-flags", "COMPLETE"],
      ["checkout", "COMPLETE"],
    ]);
    expect(await repo.served("beta", REGION, "checkout")).to.deep.include({ cartTtlMinutes: 30 });
    expect((await repo.served("beta", REGION, "feature-flags")) as Record<string, unknown>).to.deep.include({ "apple-pay": { enabled: false } });
  });

  it("stops the deployment in progress when rolling back during a rollout, and deploys nothing AppConfig does not already serve", async () => {
    repo.editStage("beta", (text) => text.replace("  durationMinutes: 3", "  durationMinutes: 120").replace("    cartTtlMinutes: 30", "    cartTtlMinutes: 15"));
    repo.commit("beta: even shorter carts, rolled out slowly");
    const child = repo.start(["release", "--to", "beta", "--json"]);
    const running = finished(child);
    for await (const line of createInterface({ input: child.stdout! })) {
      if (!line.includes('"type":"appconfig-deploying"')) continue;
      child.kill("SIGINT");
      break;
    }
    const interrupted = await running;
    expect(interrupted.status, explain(interrupted)).to.equal(130);
    const inProgress = (await view.deployments(REGION, repo.workload, "beta")).at(-1);
    expect(inProgress?.state).to.equal("DEPLOYING");
    calls("StartDeployment");

    const rollback = await repo.dcp(["rollback", "beta", "--json"], repo.env({ DCP_E2E_AWS_CALL_LOG: callLog }));

    expect(rollback.status, explain(rollback)).to.equal(0);
    expect(eventsOf(rollback, "appconfig-stopped").map((e) => e["deploymentNumber"])).to.deep.equal([inProgress?.number]);
    expect((await view.deployments(REGION, repo.workload, "beta")).at(-1)).to.deep.include({ number: inProgress?.number, state: "ROLLED_BACK" });
    expect(calls("StartDeployment")).to.deep.equal([]);
    expect(await repo.served("beta", REGION, "checkout")).to.deep.include({ cartTtlMinutes: 30 });
  });

  it("releases the removal of a component, deleting its profile, and a rollback brings it back", async () => {
    repo.editStage("beta", (text) => `${text.replace("  durationMinutes: 120", "  durationMinutes: 3")}${INVENTORY}`);
    repo.editFile("envs/pipeline.yaml", (text) => text.replace("    schema: schemas/payments.json\n", "    schema: schemas/payments.json\n  inventory:\n    schema: schemas/payments.json\n"));
    for (const stage of ["gamma", "prod"]) repo.editStage(stage, (text) => `${text}${INVENTORY}`);
    repo.commit("a new component: inventory");
    const added = await release();
    expect(added.status, explain(added)).to.equal(0);
    expect(await repo.served("beta", REGION, "inventory")).to.deep.include({ providerTimeoutMs: 1000 });

    repo.editFile("envs/pipeline.yaml", (text) => text.replace("  inventory:\n    schema: schemas/payments.json\n", ""));
    for (const stage of ["beta", "gamma", "prod"]) repo.editStage(stage, (text) => text.replace(INVENTORY, ""));
    repo.commit("inventory is gone");
    const removed = await release();

    expect(removed.status, explain(removed)).to.equal(0);
    expect(eventsOf(removed, "profiles-emptied").map((e) => e["profiles"])).to.deep.equal([["inventory"]]);
    expect(await view.versionCounts(REGION, repo.workload, "beta")).not.to.have.property("inventory");

    const rollback = await repo.dcp(["rollback", "beta", "--json"]);
    expect(rollback.status, explain(rollback)).to.equal(0);
    expect(await repo.served("beta", REGION, "inventory")).to.deep.include({ providerTimeoutMs: 1000 });
  });
});
