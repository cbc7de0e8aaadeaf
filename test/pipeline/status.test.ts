import { expect } from "chai";
import type { Envs } from "../../cli/config/model";
import { SetupError } from "../../cli/errors";
import { stackHistories } from "../../cli/pipeline/history";
import { stackRefOf } from "../../cli/pipeline/plan";
import { release } from "../../cli/pipeline/release";
import { status } from "../../cli/pipeline/status";
import { releaseOptions, sampleEnvs, World } from "./fakes/world";

describe("status and history", () => {
  let envs: Envs;
  let world: World;

  before(async () => {
    envs = await sampleEnvs();
  });

  beforeEach(async () => {
    world = new World(envs);
    world.seedPreviousRelease("beta");
    await release(envs, releaseOptions({ to: "beta" }), world.ports());
  });

  it("status shows per stack the deployed release, who released it, when, and whether envs/ holds a newer one", async () => {
    const [beta, gammaEast] = await status(envs, {}, world.ports());

    expect(beta).to.include({ stack: "beta-us-west-2", releaseId: world.stacks("beta")[0]?.releaseId, wantedReleaseId: world.stacks("beta")[0]?.releaseId });
    expect(beta?.lastUpdate).to.include({ releasedBy: "grace@example.com", gitCommit: "c0ffee1", ci: "github-actions", result: "succeeded" });
    expect(beta?.health).to.deep.equal({ healthy: true });
    expect(beta?.alarms).to.have.length(envs.stages[0]?.definition.alarms?.length ?? 0);
    expect(gammaEast).to.include({ stack: "gamma-us-east-1" });
    expect(gammaEast?.releaseId).to.equal(undefined);
  });

  it("status reports the alarms in ALARM right now", async () => {
    world.health.fireAlarm("beta-us-west-2", "payments-errors");
    const [beta] = await status(envs, { stage: "beta" }, world.ports());
    expect(beta?.health).to.deep.equal({
      healthy: false,
      reasons: [{ stack: "beta-us-west-2", kind: "alarm", subject: "payments-errors", detail: "in ALARM" }],
    });
  });

  it("status stops with the setup problem (exit 1) when AWS credentials are missing, rather than listing every stack as unreadable", async () => {
    const missing = new SetupError("aws-credentials", "AWS credentials are missing, invalid or expired: set AWS_ACCESS_KEY_ID …");
    world.health.check = async () => {
      throw missing;
    };
    const failure = await status(envs, { stage: "beta" }, world.ports()).catch((error: unknown) => error);
    expect(failure).to.equal(missing);
  });

  it("history lists a stack's releases newest first, with who made them", async () => {
    const [beta] = await stackHistories(world.stacks("beta").map(stackRefOf), world.engine);
    expect(beta?.entries.map((e) => e.releasedBy)).to.deep.equal(["grace@example.com", "ada@example.com"]);
    expect(beta?.entries[0]?.releaseId).to.equal(world.stacks("beta")[0]?.releaseId);
  });

  it("history shows a release's healthy bake on the release, not as a release of its own", async () => {
    const [beta] = await stackHistories(world.stacks("beta").map(stackRefOf), world.engine);
    expect(beta?.entries).to.have.length(2);
    expect(beta?.entries[0]?.bakedAt?.toISOString()).to.equal(new Date(world.clock.now()).toISOString());
    expect(beta?.entries[1]?.bakedAt).to.equal(undefined);
  });
});
