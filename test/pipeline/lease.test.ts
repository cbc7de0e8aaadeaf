import { expect } from "chai";
import type { Envs } from "../../cli/config/model";
import { ExitCode, InterruptedError, LeaseLostError, StageLeasedError } from "../../cli/errors";
import { LEASE_RENEW_MS, LEASE_STALE_MS, leaseRequest, withStageLease, type HeldLease } from "../../cli/pipeline/lease";
import { LEASE_HANDOVER_MS } from "../../cli/pipeline/lease-handover";
import type { PipelineEvent } from "../../cli/pipeline/events";
import type { LeaseHolder, LeaseReplacement, LeaseStore, PipelinePorts, StageLease } from "../../cli/pipeline/ports";
import { release } from "../../cli/pipeline/release";
import { rollback } from "../../cli/pipeline/rollback";
import { FakeClock } from "./fakes/clock";
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
      expect((incident.at.get("rollback-started") ?? 0) - startedAt).to.equal(LEASE_HANDOVER_MS);
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

describe("holding a stage lease", () => {
  let clock: FakeClock;
  let reporter: RecordingReporter;
  let store: InMemoryLeaseStore;

  beforeEach(() => {
    clock = new FakeClock();
    reporter = new RecordingReporter();
    store = new InMemoryLeaseStore();
  });

  const portsOf = (holder: LeaseHolder, leases: LeaseStore = store) => ({ clock, reporter, leases: { store: leases, holder } });
  const iso = (ms: number) => new Date(ms).toISOString();
  /** Until the run loses its lease, or ten minutes of the fake clock pass without it doing so. */
  const lostOf = (held: HeldLease | undefined) =>
    Promise.race([new Promise<void>((resolve) => held?.lost.addEventListener("abort", () => resolve(), { once: true })), clock.sleep(10 * 60_000)]);
  /** Another run's lease in place of this one's, as a rollback taking it over or a run breaking it stores it. */
  const replacedBy = (holder: LeaseHolder, replaced: LeaseReplacement): StageLease => {
    const now = iso(clock.now());
    return { id: `lease-of-${holder.who}`, stage: "beta", purpose: "rollback", holder, since: now, renewedAt: now, replaced };
  };
  const mineIn = (leases: InMemoryLeaseStore): Omit<StageLease, "replaced"> => {
    const { replaced: _none, ...mine } = leases.of("beta")!;
    return mine;
  };
  const release = leaseRequest("beta", "release", undefined);
  const failureIn = (work: Promise<unknown>) => work.then(() => expect.fail("expected the run to fail"), (error: unknown) => error as Error);

  it("asks for exactly what the run gives", () => {
    const signal = new AbortController().signal;
    expect(leaseRequest("beta", "rollback", undefined)).to.deep.equal({ stage: "beta", purpose: "rollback" });
    expect(leaseRequest("beta", "rollback", "ci-7 died", signal)).to.deep.equal({ stage: "beta", purpose: "rollback", breakReason: "ci-7 died", signal });
  });

  describe("refusing a run", () => {
    it("tells a run refused by a live holder when the holder last renewed it, and what it may do", async () => {
      const dead = store.leftBehind("beta", ciRunner, clock.now(), 30_000);
      const refused = await failureIn(withStageLease(leaseRequest("beta", "release", undefined), portsOf(laptop), async () => "ran"));
      expect(refused).to.be.instanceOf(StageLeasedError);
      expect(refused.message).to.equal(
        `beta is held by \`dcp release --to prod --approve\` run by runner@ci-7 (pid 77, https://github.com/acme/storefront/actions/runs/4711) since ${dead.since} (lease in memory://leases).\n` +
          "Its holder last renewed the lease 30 s ago. Nothing was changed: wait for that run to finish, or stop it. " +
          'If its holder dies, the lease can be broken once it has not been renewed for 60 s: dcp release --to beta --break-lease "<why>"',
      );
    });

    it("tells a run that already tries --break-lease on a live holder that it may not, without repeating its command", async () => {
      store.leftBehind("beta", laptop, clock.now(), 59_000);
      const breaking = { ...laptop, command: 'release --to beta --break-lease "stuck"' };
      const refused = await failureIn(withStageLease(leaseRequest("beta", "release", "stuck"), portsOf(breaking), async () => "ran"));
      expect(refused.message.split("\n")[1]).to.equal(
        "Its holder last renewed the lease 59 s ago: it is alive, and --break-lease breaks only a lease not renewed for 60 s. Nothing was changed: wait for that run to finish, or stop it. " +
          'If its holder dies, the lease can be broken once it has not been renewed for 60 s: --break-lease "<why>"',
      );
    });

    it("tells a run refused by a dead holder how long it has been silent, in minutes past two", async () => {
      const { ciRunUrl: _url, ...fromLaptop } = ciRunner;
      store.leftBehind("beta", fromLaptop, clock.now(), 150_000);
      const refused = await failureIn(withStageLease(leaseRequest("beta", "release", undefined), portsOf(laptop), async () => "ran"));
      expect(refused.message).to.include("run by runner@ci-7 (pid 77) since");
      expect(refused.message.split("\n")[1]).to.equal(
        "Its holder last renewed the lease 3 min ago: its holder looks dead. Nothing was changed. " +
          'Check that it is, then break the lease deliberately (the reason is recorded): dcp release --to beta --break-lease "<why>"',
      );
      store.leftBehind("beta", ciRunner, clock.now(), 120_000);
      expect((await failureIn(withStageLease(release, portsOf(laptop), async () => "ran"))).message).to.include("renewed the lease 2 min ago");
    });

    it("gives up after three tries on a lease that keeps changing under it", async () => {
      class Churning extends InMemoryLeaseStore {
        acquired = 0;
        override async acquire(): Promise<StageLease | undefined> {
          this.acquired++;
          const now = iso(clock.now());
          return { id: `release-${this.acquired}`, stage: "beta", purpose: "release", holder: ciRunner, since: now, renewedAt: now };
        }
        override async replace(): Promise<boolean> {
          return false;
        }
      }
      const churning = new Churning();
      const refused = await failureIn(withStageLease(leaseRequest("beta", "rollback", undefined), portsOf(oncall, churning), async () => "ran"));
      expect(refused).to.be.instanceOf(StageLeasedError);
      expect(refused.message).to.equal("the lease of beta in memory://leases kept changing while this run tried to take it; try again");
      expect(churning.acquired).to.equal(3);
    });
  });

  it("stops waiting for a release taken over to stop when interrupted, letting go of the stage, with nothing rolled back", async () => {
    store.leftBehind("beta", ciRunner, clock.now(), 0);
    const interrupt = new AbortController();
    let worked = false;
    const taking = failureIn(
      withStageLease(leaseRequest("beta", "rollback", undefined, interrupt.signal), portsOf(oncall), async () => {
        worked = true;
      }),
    );
    await until(() => reporter.of("lease-handover").length > 0);
    await clock.sleep(10_000);
    interrupt.abort();

    const error = await taking;

    expect(error).to.be.instanceOf(InterruptedError);
    expect(error.message).to.equal("interrupted while waiting for the release of beta to stop; nothing was rolled back.");
    expect(worked).to.equal(false);
    expect(store.of("beta")).to.equal(undefined);
  });

  describe("losing the lease", () => {
    it("a release taken over by a rollback stops, names who took it, and tells the rollback in its lease that it stopped", async () => {
      let taker: StageLease | undefined;
      const running = failureIn(
        withStageLease(release, portsOf(ciRunner), async (held) => {
          taker = replacedBy(oncall, { how: "taken-over", previous: mineIn(store) });
          await store.replace(store.of("beta")!, taker);
          await lostOf(held);
          await clock.sleep(30_000);
          return "finished";
        }),
      );

      const error = await running;

      const message = `\`dcp rollback beta\` run by oncall@desk (pid 911) took over beta at ${taker?.since}: a rollback decides what the stacks hold now`;
      expect(error).to.be.instanceOf(LeaseLostError);
      expect(error.message).to.equal(`${message}. This run stopped starting work and rolled nothing back.`);
      expect(reporter.of("lease-lost")).to.deep.equal([{ type: "lease-lost", stage: "beta", lease: taker, message }]);
      expect(store.of("beta")?.replaced?.stoppedAt).to.equal(iso(clock.now()));
    });

    it("notices a takeover when its work ends, before its next renewal", async () => {
      const error = await failureIn(
        withStageLease(release, portsOf(ciRunner), async () => {
          await store.replace(store.of("beta")!, replacedBy(oncall, { how: "taken-over", previous: mineIn(store) }));
          return "finished";
        }),
      );
      expect(error).to.be.instanceOf(LeaseLostError);
      expect(reporter.of("lease-lost")).to.have.length(1);
    });

    it("a rollback whose lease another run broke names who broke it and why, and leaves that lease alone", async () => {
      for (const reason of ["the rollback hung", undefined]) {
        store = new InMemoryLeaseStore();
        const breaker = replacedBy(laptop, { how: "broken", ...(reason !== undefined && { reason }), previous: { id: "", stage: "beta", purpose: "rollback", holder: oncall, since: "", renewedAt: "" } });
        const error = await failureIn(
          withStageLease(leaseRequest("beta", "rollback", undefined), portsOf(oncall), async (held) => {
            breaker.replaced!.previous = mineIn(store);
            await store.replace(store.of("beta")!, breaker);
            await lostOf(held);
          }),
        );
        const why = reason !== undefined ? ` ("${reason}")` : "";
        expect(error.message).to.equal(
          `\`dcp release --to beta\` run by ada@laptop (pid 4242) broke this run's lease of beta at ${breaker.since}${why}. \`dcp status\` shows what each stack holds now.`,
        );
        expect(store.of("beta")).to.deep.equal(breaker);
      }
    });

    it("a release whose lease was taken over from another run does not tell that rollback it stopped", async () => {
      const other = { id: "other", stage: "beta", purpose: "release" as const, holder: laptop, since: iso(0), renewedAt: iso(0) };
      const taker = replacedBy(oncall, { how: "taken-over", previous: other });
      const error = await failureIn(
        withStageLease(release, portsOf(ciRunner), async (held) => {
          await store.replace(store.of("beta")!, taker);
          await lostOf(held);
        }),
      );
      expect(error).to.be.instanceOf(LeaseLostError);
      expect(store.of("beta")).to.deep.equal(taker);
    });

    it("a run whose lease was removed says it is gone", async () => {
      const message = "the lease of beta is gone: a run that took it over or broke it has finished since, or it was removed by hand";
      const error = await failureIn(
        withStageLease(release, portsOf(ciRunner), async (held) => {
          await store.release(store.of("beta")!);
          await lostOf(held);
        }),
      );
      expect(error.message).to.equal(`${message}. This run stopped starting work and rolled nothing back.`);
      expect(reporter.of("lease-lost")).to.deep.equal([{ type: "lease-lost", stage: "beta", message }]);
    });
  });

  describe("when the backend fails", () => {
    /** A store whose renewals fail `failures` times in a row from now on. */
    class Unreachable extends InMemoryLeaseStore {
      constructor(
        public failures: number,
        private readonly releaseFails = false,
      ) {
        super();
      }
      override async renew(lease: StageLease, at: Date): Promise<StageLease | undefined> {
        if (this.failures > 0) {
          this.failures--;
          throw new Error("backend unreachable");
        }
        return super.renew(lease, at);
      }
      override async release(lease: StageLease): Promise<void> {
        if (this.releaseFails) throw new Error("backend unreachable");
        return super.release(lease);
      }
    }

    it("keeps the lease through renewals that fail for less than the time after which it may be broken", async () => {
      const flaky = new Unreachable(3);
      const result = await withStageLease(release, portsOf(ciRunner, flaky), async () => {
        await clock.sleep(2 * 60_000);
        return "finished";
      });
      expect(result).to.equal("finished");
      expect(reporter.of("lease-lost")).to.deep.equal([]);
      expect(flaky.of("beta")).to.equal(undefined);
    });

    it("stops once it could not renew for that long: another run may have broken the lease since", async () => {
      const down = new Unreachable(Infinity);
      const error = await failureIn(
        withStageLease(release, portsOf(ciRunner, down), async (held) => {
          await lostOf(held);
        }),
      );
      expect(error).to.be.instanceOf(LeaseLostError);
      expect(error.message).to.equal("could not renew the lease of beta for 60 s: backend unreachable. This run stopped starting work and rolled nothing back.");
    });

    it("says the next run must break a lease it could not remove at the end", async () => {
      const result = await withStageLease(release, portsOf(ciRunner, new Unreachable(0, true)), async () => "finished");
      expect(result).to.equal("finished");
      expect(reporter.of("lease-not-released")).to.deep.equal([
        {
          type: "lease-not-released",
          stage: "beta",
          message: "could not remove the lease of beta from memory://leases: backend unreachable; the next run will have to break it with --break-lease",
        },
      ]);
    });
  });
});
