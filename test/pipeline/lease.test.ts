import { expect } from "chai";
import type { Envs } from "../../cli/config/model";
import { ExitCode } from "../../cli/errors";
import { LEASE_RENEW_MS, LEASE_STALE_MS } from "../../cli/pipeline/lease";
import { LEASE_HANDOVER_MS } from "../../cli/pipeline/lease-handover";
import type { PipelineEvent } from "../../cli/pipeline/events";
import type { LeaseHolder, PipelinePorts } from "../../cli/pipeline/ports";
import { release } from "../../cli/pipeline/release";
import { rollback } from "../../cli/pipeline/rollback";
import { ciRunner, InMemoryLeaseStore, laptop, oncall } from "./fakes/leases";
import { RecordingReporter } from "./fakes/reporter";
import { failureOf, releaseOptions, sampleEnvs, World } from "./fakes/world";

/** One dcp process: its own reporter (recording when each event came) and holder, the world's engine, clock and backend. */
class Run {
  readonly reporter = new RecordingReporter();
  readonly at = new Map<PipelineEvent["type"], number>();
  readonly ports: PipelinePorts;

  constructor(world: World, store: InMemoryLeaseStore, holder: LeaseHolder) {
    const reporter = { emit: (event: PipelineEvent) => (this.at.set(event.type, world.clock.now()), this.reporter.emit(event)) };
    this.ports = { ...world.ports(), reporter, leases: { store, holder } };
  }
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

const rollbackOptions = { stage: "beta", policyConfig: (stage: string) => ({ stage }), context: { releasedBy: "oncall@example.com" } };

describe("stage leases: one run per stage", () => {
  let envs: Envs;
  let world: World;
  let store: InMemoryLeaseStore;

  before(async () => {
    envs = await sampleEnvs();
  });

  beforeEach(() => {
    world = new World(envs);
    world.seedPreviousRelease();
    store = new InMemoryLeaseStore();
  });

  it("refuses a second release of a stage during the first one's bake with exit 1, naming the holder, since when and how to break it", async () => {
    const first = new Run(world, store, ciRunner);
    const releasing = release(envs, releaseOptions({ to: "beta" }), first.ports);
    await until(() => first.reporter.of("bake-started").length > 0);
    const upsBefore = world.engine.updatesOf("up").length;

    const second = new Run(world, store, laptop);
    const refused = await failureOf(release(envs, releaseOptions({ to: "beta" }), second.ports));

    expect(refused.exitCode).to.equal(ExitCode.usage);
    const since = first.reporter.of("lease-taken")[0]?.lease.since ?? "";
    expect(refused.message).to.include("beta is held by `dcp release --to prod --approve` run by runner@ci-7 (pid 77, https://github.com/acme/storefront/actions/runs/4711)");
    expect(refused.message).to.include(`since ${since}`);
    expect(refused.message).to.include('dcp release --to beta --break-lease "<why>"');
    expect(second.reporter.of("lease-refused")).to.deep.include({ type: "lease-refused", stage: "beta", lease: store.of("beta"), stale: false });
    expect(second.reporter.of("stack-skipped"), "the second run never decided that beta holds the release").to.be.empty;
    expect(world.engine.updatesOf("up")).to.have.length(upsBefore);

    await releasing;
    expect(store.of("beta"), "the first run lets go of beta when it is done").to.equal(undefined);
  });

  it("keeps the lease fresh through a long bake, so that a run refused then is not told its holder is dead", async () => {
    const first = new Run(world, store, ciRunner);
    const releasing = release(envs, releaseOptions({ to: "gamma" }), first.ports);
    await until(() => first.reporter.of("bake-started").some((e) => e.stage === "gamma") && world.clock.now() - (first.at.get("bake-started") ?? 0) >= 25 * 60_000);

    const refused = await failureOf(release(envs, releaseOptions({ to: "gamma", stage: "gamma" }), new Run(world, store, laptop).ports));
    expect(refused.message).to.include("wait for that run to finish");
    const renewedAt = Date.parse(store.of("gamma")?.renewedAt ?? "");
    expect(world.clock.now() - renewedAt).to.be.at.most(LEASE_RENEW_MS);
    await releasing;
  });

  it("takes each stage's lease for that stage's run only, and takes none for a dry run", async () => {
    const run = new Run(world, store, ciRunner);
    await release(envs, releaseOptions({ to: "gamma" }), run.ports);
    expect(run.reporter.of("lease-taken").map((e) => e.stage)).to.deep.equal(["beta", "gamma"]);
    expect(store.of("beta")).to.equal(undefined);
    expect(store.of("gamma")).to.equal(undefined);

    const dry = new Run(world, store, laptop);
    store.leftBehind("prod", ciRunner, world.clock.now(), 0);
    await release(envs, releaseOptions({ dryRun: true }), dry.ports);
    expect(dry.reporter.of("lease-taken")).to.be.empty;
  });

  describe("a lease whose holder died", () => {
    it("is never broken silently: a run is refused and told the holder looks dead and how to break the lease", async () => {
      store.leftBehind("beta", ciRunner, world.clock.now(), LEASE_STALE_MS);
      const refused = await failureOf(release(envs, releaseOptions({ to: "beta" }), new Run(world, store, laptop).ports));
      expect(refused.exitCode).to.equal(ExitCode.usage);
      expect(refused.message).to.include("its holder looks dead");
      expect(world.engine.updatesOf("up")).to.be.empty;
    });

    it("is broken by --break-lease, and the reason and the broken lease are recorded in the new lease and the run's events", async () => {
      const dead = store.leftBehind("beta", ciRunner, world.clock.now(), 10 * 60_000);
      const run = new Run(world, store, laptop);
      await release(envs, releaseOptions({ to: "beta", breakLease: "runner ci-7 was killed" }), run.ports);

      const taken = run.reporter.of("lease-taken")[0]?.lease;
      expect(taken?.holder).to.deep.equal(laptop);
      expect(taken?.replaced).to.deep.equal({ how: "broken", reason: "runner ci-7 was killed", previous: dead });
      expect(world.engine.releaseOf("beta-us-west-2")).to.equal(world.stacks("beta")[0]?.releaseId);
    });

    it("--break-lease refuses to break a lease its holder still renews", async () => {
      store.leftBehind("beta", ciRunner, world.clock.now(), LEASE_STALE_MS - 1_000);
      const refused = await failureOf(release(envs, releaseOptions({ to: "beta", breakLease: "looks stuck" }), new Run(world, store, laptop).ports));
      expect(refused.exitCode).to.equal(ExitCode.usage);
      expect(refused.message).to.include("it is alive, and --break-lease breaks only a lease not renewed for 60 s");
      expect(world.engine.updatesOf("up")).to.be.empty;
    });
  });

  describe("a rollback in an incident", () => {
    it("takes the lease from a baking release, which stops within seconds without rolling back itself", async () => {
      const releasing = new Run(world, store, ciRunner);
      const running = release(envs, releaseOptions({ to: "beta" }), releasing.ports).catch((error: unknown) => error);
      await until(() => releasing.reporter.of("bake-started").length > 0);

      // The rollback's update outlasts the release's next renewal, as any real stack update does.
      world.engine.holdUpdates();
      const incident = new Run(world, store, oncall);
      const rollingBack = rollback(envs, rollbackOptions, incident.ports);
      await until(() => releasing.reporter.of("lease-lost").length > 0);
      world.engine.resume();
      await rollingBack;
      const stopped = (await running) as { exitCode: number; message: string };

      expect(incident.reporter.of("lease-taken")[0]?.lease.replaced).to.deep.include({ how: "taken-over" });
      expect(stopped.exitCode).to.equal(ExitCode.interrupted);
      expect(stopped.message).to.include("`dcp rollback beta` run by oncall@desk (pid 911) took over beta");
      expect(stopped.message).to.include("rolled nothing back");
      expect(releasing.reporter.of("rollback-started"), "the release left the rollback to the rollback").to.be.empty;
      expect(world.engine.updatesOf("up").filter((s) => s === "beta-us-west-2")).to.have.length(2);
      const noticedAfterMs = (releasing.at.get("lease-lost") ?? Infinity) - (incident.at.get("lease-taken") ?? 0);
      expect(noticedAfterMs).to.be.at.most(LEASE_RENEW_MS);
      expect(store.of("beta"), "the stopped release leaves the rollback's lease alone, which the rollback then lets go").to.equal(undefined);
    });

    it("waits for a release caught in a stack update to finish that update and stop, then rolls back", async () => {
      world.engine.holdUpdates();
      const releasing = new Run(world, store, ciRunner);
      const running = release(envs, releaseOptions({ to: "beta" }), releasing.ports).catch((error: unknown) => error);
      await until(() => releasing.reporter.of("stack-updating").length > 0);

      const incident = new Run(world, store, oncall);
      const rollingBack = rollback(envs, rollbackOptions, incident.ports);
      const waitingSince = world.clock.now();
      await until(() => world.clock.now() - waitingSince >= 60_000);
      expect(world.engine.updatesOf("up"), "nothing rolled back while the release's update runs").to.deep.equal(["beta-us-west-2"]);
      expect(incident.reporter.of("lease-handover").map((e) => e.state)).to.deep.equal(["waiting"]);

      world.engine.resume();
      await rollingBack;
      expect(((await running) as { exitCode: number }).exitCode).to.equal(ExitCode.interrupted);
      expect(incident.reporter.of("lease-handover").map((e) => e.state)).to.deep.equal(["waiting", "stopped"]);
      expect(world.engine.updatesOf("up")).to.deep.equal(["beta-us-west-2", "beta-us-west-2"]);
      expect(world.engine.releaseOf("beta-us-west-2")).to.not.equal(world.stacks("beta")[0]?.releaseId);
    });

    it("waits no longer than five minutes for a release that never says it stopped (it died mid-update)", async () => {
      await release(envs, releaseOptions({ to: "beta" }), world.ports());
      store.leftBehind("beta", ciRunner, world.clock.now(), 0);
      const incident = new Run(world, store, oncall);
      const startedAt = world.clock.now();
      await rollback(envs, rollbackOptions, incident.ports);
      expect(incident.reporter.of("lease-handover").map((e) => e.state)).to.deep.equal(["waiting", "gave-up"]);
      expect((incident.at.get("rollback-started") ?? 0) - startedAt).to.be.within(LEASE_HANDOVER_MS, LEASE_HANDOVER_MS + LEASE_RENEW_MS);
    });

    it("does not wait at all for a release whose lease went stale", async () => {
      await release(envs, releaseOptions({ to: "beta" }), world.ports());
      store.leftBehind("beta", ciRunner, world.clock.now(), LEASE_STALE_MS);
      const incident = new Run(world, store, oncall);
      await rollback(envs, rollbackOptions, incident.ports);
      expect(incident.reporter.of("lease-handover")).to.be.empty;
      expect(incident.reporter.of("lease-taken")[0]?.lease.replaced?.how).to.equal("taken-over");
    });

    it("is refused while another rollback holds the stage", async () => {
      store.leftBehind("beta", { ...oncall, who: "sre@other-desk" }, world.clock.now(), 0);
      const lease = store.of("beta");
      if (lease) lease.purpose = "rollback";
      const refused = await failureOf(rollback(envs, rollbackOptions, new Run(world, store, oncall).ports));
      expect(refused.exitCode).to.equal(ExitCode.usage);
      expect(refused.message).to.include("sre@other-desk");
      expect(world.engine.updatesOf("up")).to.be.empty;
    });
  });
});
