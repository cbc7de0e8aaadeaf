import { expect } from "chai";
import type { VerifyCheck } from "../../cli/config/formats/stage-file";
import type { Envs } from "../../cli/config/model";
import { BakeFailedError, ExitCode } from "../../cli/errors";
import { systemClock } from "../../cli/pipeline/clock";
import { release } from "../../cli/pipeline/release";
import { withVerification } from "../../cli/verify/monitor";
import { FakeHealthMonitor } from "../pipeline/fakes/health";
import { failureOf, releaseOptions, sampleEnvs, World } from "../pipeline/fakes/world";
import { json, LocalServer } from "./local-server";
import { localHealthCheck, withChecks } from "./sample-with-checks";

describe("a release whose prod checks fail during the canary bake", () => {
  let sample: Envs;
  let server: LocalServer;
  before(async () => {
    sample = await sampleEnvs();
    server = await LocalServer.start({
      // Healthy for the first few requests after the canary's update, then 500s.
      "/prod/us-east-1/health": (request, response) =>
        json((server.hits.get("/prod/us-east-1/health") ?? 0) > 3 ? 500 : 200, {})(request, response),
    });
  });
  after(() => server.close());

  /** Beta and gamma release cleanly without bakes; prod's canary bakes for 3 s of real time with `check`. */
  const releaseWith = async (check: VerifyCheck) => {
    const envs = withChecks(sample, "prod", [check], 3_000);
    const world = new World(envs);
    world.seedPreviousRelease();
    const ports = { ...world.ports(), clock: systemClock, health: withVerification(new FakeHealthMonitor(systemClock), envs) };
    const started = Date.now();
    const error = await failureOf(release(envs, releaseOptions({ to: "prod" }), ports));
    return { world, error, tookMs: Date.now() - started };
  };

  const expectCanaryRolledBack = (world: World) => {
    const prod = world.stacks("prod");
    expect(world.engine.updatesOf("up").filter((s) => s.startsWith("prod"))).to.deep.equal(["prod-us-east-1", "prod-us-east-1"]);
    expect(world.reporter.of("rollback-started").map((e) => e.stacks)).to.deep.equal([["prod-us-east-1"]]);
    for (const stack of prod) expect(world.engine.releaseOf(stack.name)).to.not.equal(stack.releaseId);
    for (const stack of world.stacks("gamma")) expect(world.engine.releaseOf(stack.name)).to.equal(stack.releaseId);
  };

  it("rolls the canary back when its HTTP check starts returning 500, naming the check as the reason", async () => {
    const { world, error, tookMs } = await releaseWith(localHealthCheck(server.url("")));
    expect(error).to.be.instanceOf(BakeFailedError);
    expect(error.exitCode).to.equal(ExitCode.bakeFailed);
    expect(error.message).to.match(/bake of prod wave canary failed:\n {2}prod-us-east-1: check storefront-health: HTTP 500 from http:\/\/127\.0\.0\.1:\d+\/prod\/us-east-1\/health after \d+ ms/);
    expect(tookMs).to.be.below(2_000);
    expectCanaryRolledBack(world);
    const [unhealthy] = world.reporter.of("unhealthy");
    expect(unhealthy?.reasons.map((r) => `${r.kind} ${r.subject}`)).to.deep.equal(["check storefront-health"]);
  });

  it("rolls the canary back when its command check times out", async () => {
    const { world, error } = await releaseWith({ type: "command", name: "acceptance", run: "echo 'checkout: waiting for payment page'; sleep 30", timeoutSeconds: 0.1 });
    expect(error).to.be.instanceOf(BakeFailedError);
    expect(error.message).to.include("prod-us-east-1: check acceptance: timed out after 0.1 s and was killed: checkout: waiting for payment page");
    expectCanaryRolledBack(world);
  });
});
