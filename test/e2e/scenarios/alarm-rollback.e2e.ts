/**
 * An alarm that fires during gamma's bake: dcp must stop, roll back every changed stack
 * of gamma and leave the previous content served, with exit 4.
 */
import { expect } from "chai";
import { createInterface } from "node:readline";
import { finished, ScratchRepo } from "../harness/scratch-repo";
import { world, type World } from "../harness/world";

const GAMMA_REGIONS = ["us-east-1", "eu-west-1"];
/** The fixture's gamma deploy role: its alarms live in its account. */
const GAMMA_ROLE = "arn:aws:iam::222222222222:role/dcp-deploy";

describe("an alarm during a bake on the real engine", () => {
  let w: World;
  let repo: ScratchRepo;

  before(async () => {
    w = await world();
    repo = ScratchRepo.create(w, "alarm");
    const first = await repo.dcp(["release", "--to", "gamma", "--json"]);
    expect(first.status, first.stderr + first.stdout).to.equal(0);
  });

  it("rolls gamma back to the previous release, which is served again, and exits 4", async () => {
    const servedBefore = await Promise.all(GAMMA_REGIONS.map((region) => repo.served("gamma", region, "checkout")));
    repo.editStage("gamma", (text) => text.replace(/bakeMinutes: 0/, "bakeMinutes: 1").replace("    cartTtlMinutes: 60", "    cartTtlMinutes: 15"));
    repo.commit("gamma: shorter carts, and a bake long enough for the alarm");

    const child = repo.start(["release", "--to", "gamma", "--json"]);
    const running = finished(child);
    // The alarm goes off once gamma's bake has started, as a real regression would show.
    for await (const line of createInterface({ input: child.stdout! })) {
      if (!line.includes('"type":"bake-started"') || !line.includes('"stage":"gamma"')) continue;
      for (const region of GAMMA_REGIONS) await w.aws.setAlarmState(region, `${repo.workload}-gamma-checkout-5xx`, "ALARM", GAMMA_ROLE);
      break;
    }
    const run = await running;
    expect(run.status, run.stderr + run.stdout).to.equal(4);
    expect(run.stdout).to.include("checkout-5xx");
    const rolledBack = run.events.filter((event) => event.type === "rolled-back").map((event) => event["stack"]);
    expect(rolledBack).to.have.members(GAMMA_REGIONS.map((region) => `gamma-${region}`));
    for (const [i, region] of GAMMA_REGIONS.entries()) {
      expect(await repo.served("gamma", region, "checkout"), region).to.deep.equal(servedBefore[i]);
    }
  });
});
