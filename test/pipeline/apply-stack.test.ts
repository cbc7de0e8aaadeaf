import { expect } from "chai";
import type { Envs, ResolvedStack } from "../../cli/config/model";
import { DeploymentError } from "../../cli/errors";
import { applyStack, type ApplyOptions } from "../../cli/pipeline/apply-stack";
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
    expect((failure as Error).message).to.include("feature-flags").and.include("ROLLED_BACK");
    expect(world.engine.updatesOf("up")).to.have.length(1);
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
    expect(world.deployments.conflicts).to.deep.equal([]);
    // The stopped deployment never completed: AppConfig still runs the previous flags, so nothing is redeployed.
    expect(world.reporter.of("appconfig-deploying")).to.have.length(1);
    expect(world.engine.releaseOf(stack.name)).to.equal(seeded.metadata?.releaseId);
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
