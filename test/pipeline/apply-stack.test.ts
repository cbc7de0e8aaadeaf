import { expect } from "chai";
import type { Envs, ResolvedStack } from "../../cli/config/model";
import { DeploymentError } from "../../cli/errors";
import { applyStack, DEPLOYMENT_POLL_MS, type ApplyOptions } from "../../cli/pipeline/apply-stack";
import { MONITOR_DEADLINE_MARGIN_MS } from "../../cli/pipeline/bake";
import type { DeploymentStatus } from "../../cli/pipeline/ports";
import { stampRelease } from "../../cli/pipeline/metadata";
import { stackRefOf } from "../../cli/pipeline/plan";
import { readLedger } from "../../cli/pipeline/restore";
import type { StackConfig } from "../../infra/stack-config";
import { RELEASE_CONTEXT, sampleEnvs, World } from "./fakes/world";

const MINUTE = 60_000;
/** Beta's strategy: 2 minutes of rollout and 2 of final bake. */
const ROLLOUT_MS = 4 * MINUTE;
describe("applying one stack", () => {
  let envs: Envs;
  let world: World;
  let stack: ResolvedStack;

  before(async () => {
    envs = await sampleEnvs();
  });

  beforeEach(() => {
    world = new World(envs);
    world.seedPreviousRelease("beta");
    const [beta] = world.stacks("beta");
    if (beta === undefined) throw new Error("the sample has a beta stack");
    stack = beta;
  });

  /** What AppConfig serves on the stack as its ledger tells, which a release and a rollback stamp as deployed. */
  async function served(): Promise<Record<string, string> | undefined> {
    return (await readLedger(stackRefOf(stack), world.engine)).served;
  }

  /** The beta stack's config with its flags (as seeded) and its checkout config both changed, stamped against what it runs. */
  async function twoProfilesChanged(): Promise<StackConfig> {
    const config = structuredClone(stack.config);
    const checkout = config.components.checkout;
    if (checkout === undefined) throw new Error("the sample has a checkout component");
    checkout.config = { ...checkout.config, logLevel: "WARN" };
    return stampRelease(config, RELEASE_CONTEXT, new Date(world.clock.now()).toISOString(), await served());
  }

  async function options(overrides: Partial<ApplyOptions> = {}): Promise<ApplyOptions> {
    return { engine: { policyConfig: {} }, before: await world.engine.outputs(stackRefOf(stack)), ...overrides };
  }

  /** AppConfig answers each read of a deployment's state with the next of `answers` (COMPLETE once they run out); an Error is thrown. */
  function deploymentStates(...answers: (string | DeploymentStatus | Error)[]): void {
    world.deployments.status = async () => {
      const answer = answers.shift() ?? "COMPLETE";
      if (answer instanceof Error) throw answer;
      return typeof answer === "string" ? { state: answer } : answer;
    };
  }

  /** Calls `act` as AppConfig is asked for a deployment's state the `nth` time, before it answers. */
  function onStatusRead(nth: number, act: () => void): void {
    const status = world.deployments.status.bind(world.deployments);
    let reads = 0;
    world.deployments.status = async (target, deploymentNumber) => {
      if (++reads === nth) act();
      return status(target, deploymentNumber);
    };
  }

  const failureOf = (work: Promise<unknown>) => work.then(() => expect.fail("the apply was expected to fail"), (error: unknown) => error as Error);
  const deployingNumber = () => world.reporter.of("appconfig-deploying")[0]?.deploymentNumber;

  it("deploys two changed profiles one after the other, each update starting one deployment once the previous has completed", async () => {
    world.deployments.takeMs(ROLLOUT_MS);
    const startedAt = world.clock.now();

    const result = await applyStack(stackRefOf(stack), await twoProfilesChanged(), await options(), world.ports());

    expect(world.engine.updatesOf("up")).to.deep.equal([stack.name, stack.name]);
    expect(world.reporter.of("appconfig-deploying").map((e) => e.profile)).to.deep.equal(["feature-flags", "checkout"]);
    expect(world.reporter.of("appconfig-deployed").map((e) => e.state)).to.deep.equal(["COMPLETE", "COMPLETE"]);
    expect(world.deployments.conflicts).to.deep.equal([]);
    expect(world.clock.now() - startedAt).to.be.at.least(2 * ROLLOUT_MS);
    expect(result.outputs.deployedContent).to.include({ "feature-flags": result.outputs.contentHashes["feature-flags"] });
  });

  it("fails the update, naming the profile, when AppConfig rolls its deployment back, and deploys nothing after it", async () => {
    world.deployments.scriptNext(stack.name, { durationMs: 10 * MINUTE, ends: "ROLLED_BACK" });

    const failure = await applyStack(stackRefOf(stack), await twoProfilesChanged(), await options(), world.ports()).catch((e: unknown) => e);

    expect(failure).to.be.instanceOf(DeploymentError);
    expect((failure as Error).message).to.equal(`${stack.name}: AppConfig deployment #${deployingNumber()} of feature-flags ended ROLLED_BACK`);
    expect(world.engine.updatesOf("up")).to.have.length(1);
  });

  it("waits while AppConfig validates, deploys and bakes a deployment", async () => {
    deploymentStates("VALIDATING", "DEPLOYING", "BAKING", "COMPLETE");

    await applyStack(stackRefOf(stack), await twoProfilesChanged(), await options(), world.ports());

    expect(world.reporter.of("appconfig-deployed").map((e) => `${e.profile} ${e.state}`)).to.deep.equal(["feature-flags COMPLETE", "checkout COMPLETE"]);
  });

  it("waits for a deployment AppConfig is rolling back, then fails the update with AppConfig's reason", async () => {
    deploymentStates("ROLLING_BACK", { state: "ROLLED_BACK", detail: "alarm checkout-5xx went into ALARM" });

    const failure = await failureOf(applyStack(stackRefOf(stack), await twoProfilesChanged(), await options(), world.ports()));

    expect(failure.message).to.equal(`${stack.name}: AppConfig deployment #${deployingNumber()} of feature-flags ended ROLLED_BACK: alarm checkout-5xx went into ALARM`);
  });

  it("reads a deployment's state again when it cannot be read for a while", async () => {
    deploymentStates(new Error("Rate exceeded"), new Error("Rate exceeded"), "COMPLETE");

    await applyStack(stackRefOf(stack), await twoProfilesChanged(), await options(), world.ports());

    expect(world.reporter.of("appconfig-deployed").map((e) => e.state)).to.deep.equal(["COMPLETE", "COMPLETE"]);
  });

  it("fails the update when a deployment's state cannot be read for longer than its strategy allows, saying why", async () => {
    world.deployments.status = async () => Promise.reject(new Error("AccessDenied: appconfig:GetDeployment"));

    const failure = await failureOf(applyStack(stackRefOf(stack), await twoProfilesChanged(), await options(), world.ports()));

    expect(failure.message).to.equal(
      `${stack.name}: AppConfig deployment #${deployingNumber()} is still unreadable: AccessDenied: appconfig:GetDeployment after 19 minutes, longer than its strategy allows`,
    );
  });

  it("gives a deployment its strategy's rollout and final bake plus the margin, and not a poll more", async () => {
    const allowedMs = ROLLOUT_MS + MONITOR_DEADLINE_MARGIN_MS;
    world.deployments.scriptNext(stack.name, { durationMs: allowedMs, ends: "COMPLETE" });
    await applyStack(stackRefOf(stack), await twoProfilesChanged(), await options(), world.ports());
    world = new World(envs);
    world.seedPreviousRelease("beta");
    world.deployments.scriptNext(stack.name, { durationMs: allowedMs + 1, ends: "COMPLETE" });

    const failure = await failureOf(applyStack(stackRefOf(stack), await twoProfilesChanged(), await options(), world.ports()));

    expect(failure.message).to.equal(`${stack.name}: AppConfig deployment #${deployingNumber()} is still DEPLOYING after 19 minutes, longer than its strategy allows`);
  });

  it("stops a program that starts a deployment on every update, as the bug it is, after one update per profile and one more", async () => {
    const config = await twoProfilesChanged();
    const up = world.engine.up.bind(world.engine);
    let deploymentNumber = 100;
    world.engine.up = async (ref, applied, engineOptions) => {
      const result = await up(ref, applied, engineOptions);
      return { ...result, outputs: { ...result.outputs, deploymentNumbers: { "feature-flags": ++deploymentNumber }, deployedContent: {} } };
    };

    const failure = await failureOf(applyStack(stackRefOf(stack), config, await options(), world.ports()));

    const updates = Object.keys(config.components).length + 2;
    expect(failure.message).to.equal(`${stack.name}: a profile was still to deploy after ${updates} updates; the program deploys no profile twice, so this is a bug`);
    expect(world.engine.updatesOf("up")).to.have.length(updates);
  });

  it("takes what AppConfig serves from the outputs when the config claims nothing about it", async () => {
    const config = stampRelease(stack.config, RELEASE_CONTEXT, new Date(world.clock.now()).toISOString(), undefined);

    await applyStack(stackRefOf(stack), config, await options(), world.ports());

    expect(world.reporter.of("appconfig-deploying").map((e) => e.profile)).to.deep.equal(["feature-flags"]);
  });

  it("fails the update when a deployment runs longer than its strategy allows, rather than waiting for ever", async () => {
    world.deployments.scriptNext(stack.name, { durationMs: 24 * 60 * MINUTE, ends: "COMPLETE" });

    const failure = await applyStack(stackRefOf(stack), await twoProfilesChanged(), await options(), world.ports()).catch((e: unknown) => e);

    expect(failure).to.be.instanceOf(DeploymentError);
    expect((failure as Error).message).to.include("still DEPLOYING").and.include("longer than its strategy allows");
  });

  it("stops waiting, leaving the deployment to AppConfig, when the release is stopping", async () => {
    world.deployments.takeMs(ROLLOUT_MS);
    const stopping = new AbortController();
    world.engine.onUpStarted = () => stopping.abort();

    await applyStack(stackRefOf(stack), await twoProfilesChanged(), await options({ stopping: stopping.signal }), world.ports());

    expect(world.engine.updatesOf("up")).to.have.length(1);
    expect(world.reporter.of("appconfig-deployed")).to.deep.equal([]);
  });

  it("once stopping, starts no further update of the stack, even when its deployment has completed already", async () => {
    const stopping = new AbortController();
    world.engine.onUpStarted = () => stopping.abort();

    await applyStack(stackRefOf(stack), await twoProfilesChanged(), await options({ stopping: stopping.signal }), world.ports());

    expect(world.engine.updatesOf("up")).to.have.length(1);
  });

  it("stops waiting at once when the release is stopping, not at the next read of the deployment", async () => {
    world.deployments.takeMs(ROLLOUT_MS);
    const stopping = new AbortController();
    const startedAt = world.clock.now();
    onStatusRead(3, () => stopping.abort());

    await applyStack(stackRefOf(stack), await twoProfilesChanged(), await options({ stopping: stopping.signal }), world.ports());

    expect(world.clock.now() - startedAt).to.equal(2 * DEPLOYMENT_POLL_MS);
    expect(world.engine.updatesOf("up")).to.have.length(1);
  });

  it("fails the update, rather than stopping quietly, when it is cancelled (a second Ctrl-C) while waiting for a deployment", async () => {
    world.deployments.takeMs(ROLLOUT_MS);
    const stopping = new AbortController();
    const cancelling = new AbortController();
    onStatusRead(3, () => (stopping.abort(), cancelling.abort()));

    await failureOf(applyStack(stackRefOf(stack), await twoProfilesChanged(), await options({ stopping: stopping.signal, engine: { policyConfig: {}, signal: cancelling.signal } }), world.ports()));

    expect(world.engine.updatesOf("up")).to.have.length(1);
  });

  it("waits for the deployment an interrupted update left in progress before it starts the next one", async () => {
    world.deployments.takeMs(ROLLOUT_MS);
    const stopping = new AbortController();
    world.engine.onUpStarted = () => stopping.abort();
    const config = await twoProfilesChanged();
    await applyStack(stackRefOf(stack), config, await options({ stopping: stopping.signal }), world.ports());
    world.engine.onUpStarted = undefined;

    await applyStack(stackRefOf(stack), config, await options(), world.ports());

    expect(world.deployments.conflicts).to.deep.equal([]);
    expect(world.reporter.of("appconfig-deploying").map((e) => e.profile)).to.deep.equal(["feature-flags", "checkout"]);
  });

  it("as a rollback, stops the deployment in progress before it deploys the previous versions", async () => {
    world.deployments.takeMs(ROLLOUT_MS);
    const stopping = new AbortController();
    world.engine.onUpStarted = () => stopping.abort();
    await applyStack(stackRefOf(stack), await twoProfilesChanged(), await options({ stopping: stopping.signal }), world.ports());
    world.engine.onUpStarted = undefined;
    const [running] = world.reporter.of("appconfig-deploying");
    const previous = world.engine.configOf(stack.name);
    if (previous === undefined || running === undefined) throw new Error("the stack was released and is deploying");
    const seeded = (await world.engine.history(stackRefOf(stack))).at(-1)?.config;
    if (seeded === undefined) throw new Error("the stack has its seeded release");

    const rollback = stampRelease(seeded, RELEASE_CONTEXT, new Date(world.clock.now()).toISOString(), await served());
    await applyStack(stackRefOf(stack), rollback, await options({ stopFirst: true }), world.ports());

    expect(world.deployments.stopped).to.deep.equal([{ stack: stack.name, deploymentNumber: running.deploymentNumber }]);
    expect(world.reporter.of("appconfig-stopped")).to.deep.equal([{ type: "appconfig-stopped", stack: stack.name, deploymentNumber: running.deploymentNumber }]);
    expect(world.deployments.conflicts).to.deep.equal([]);
    // The stopped deployment never completed: AppConfig still runs the previous flags, so nothing is redeployed.
    expect(world.reporter.of("appconfig-deploying")).to.have.length(1);
    expect(world.engine.releaseOf(stack.name)).to.equal(seeded.metadata?.releaseId);
  });

  it("as a rollback with no deployment in progress, stops nothing", async () => {
    const seeded = (await world.engine.history(stackRefOf(stack))).at(-1)?.config;
    if (seeded === undefined) throw new Error("the stack has its seeded release");

    await applyStack(stackRefOf(stack), await twoProfilesChanged(), await options({ stopFirst: true }), world.ports());

    expect(world.deployments.stopped).to.deep.equal([]);
    expect(world.reporter.of("appconfig-stopped")).to.deep.equal([]);
  });

  it("empties the AppConfig profiles of a removed component before the update that deletes them, and only those", async () => {
    const config = structuredClone(stack.config);
    delete config.components.catalog;
    const before = await world.engine.outputs(stackRefOf(stack));
    const stamped = stampRelease(config, RELEASE_CONTEXT, new Date(world.clock.now()).toISOString(), await served());

    await applyStack(stackRefOf(stack), stamped, await options(), world.ports());

    expect(world.deployments.emptied).to.deep.equal([{ stack: stack.name, profileIds: [before?.profileIds.catalog] }]);
    expect(world.reporter.of("profiles-emptied")[0]?.profiles).to.deep.equal(["catalog"]);
  });
});
