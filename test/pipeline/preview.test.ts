import { expect } from "chai";
import type { Envs, ResolvedStack } from "../../cli/config/model";
import { DeploymentError, PolicyViolationError, SetupError, StackLockedError } from "../../cli/errors";
import { stampRelease } from "../../cli/pipeline/metadata";
import { stackRefOf } from "../../cli/pipeline/plan";
import type { PolicyViolation } from "../../cli/pipeline/ports";
import { policyViolationError, previewWave, type PreviewItem, type PreviewOptions } from "../../cli/pipeline/preview";
import { RELEASE_CONTEXT, sampleEnvs, World } from "./fakes/world";

describe("the policy gate of a wave", () => {
  let envs: Envs;
  let world: World;
  let gamma: ResolvedStack[];

  before(async () => {
    envs = await sampleEnvs();
  });

  beforeEach(() => {
    world = new World(envs);
    gamma = world.stacks("gamma");
  });

  const items = (): PreviewItem[] =>
    gamma.map((s) => ({ stack: stackRefOf(s), config: stampRelease(s.config, RELEASE_CONTEXT, new Date(world.clock.now()).toISOString(), undefined) }));
  const options = (overrides: Partial<PreviewOptions> = {}): PreviewOptions => ({ parallel: 2, policyConfig: {}, ...overrides });
  const failureOf = (work: Promise<unknown>) => work.then(() => expect.fail("the preview was expected to fail"), (error: unknown) => error as Error);

  describe("previewing", () => {
    it("reports each stack's preview as it starts and ends, with each violation it shows", async () => {
      const violation: PolicyViolation = { stack: "gamma-eu-west-1", policy: "flag-expiry", level: "advisory", message: "holiday-banner-2026 expires soon" };
      world.engine.violate(violation);

      const violations = await previewWave(items(), options(), world.ports());

      expect(violations).to.deep.equal([violation]);
      const [east, west] = gamma;
      expect(world.reporter.events).to.deep.equal([
        { type: "stack-previewing", stack: "gamma-us-east-1", releaseId: east?.releaseId },
        { type: "stack-previewing", stack: "gamma-eu-west-1", releaseId: west?.releaseId },
        { type: "preview-done", stack: "gamma-us-east-1", changes: { update: 1 }, violations: 0 },
        { type: "preview-done", stack: "gamma-eu-west-1", changes: { update: 1 }, violations: 1 },
        { type: "policy-violation", violation },
      ]);
    });

    it("returns the violations of every stack, in the wave's order", async () => {
      world.engine.violate({ stack: "gamma-eu-west-1", policy: "flag-expiry", level: "advisory", message: "expires soon" });
      world.engine.violate({ stack: "gamma-us-east-1", policy: "no-debug-logging", level: "mandatory", message: "checkout logs at DEBUG" });

      const violations = await previewWave(items(), options(), world.ports());

      expect(violations.map((v) => `${v.stack} ${v.policy}`)).to.deep.equal(["gamma-us-east-1 no-debug-logging", "gamma-eu-west-1 flag-expiry"]);
    });

    it("shows no violation of a policy the stage disables", async () => {
      world.engine.violate({ stack: "gamma-eu-west-1", policy: "flag-expiry", level: "advisory", message: "expires soon" });

      const violations = await previewWave(items(), options({ policyConfig: { "flag-expiry": "disabled" } }), world.ports());

      expect(violations).to.deep.equal([]);
      expect(world.reporter.of("policy-violation")).to.be.empty;
      expect(world.reporter.of("preview-done").map((e) => e.violations)).to.deep.equal([0, 0]);
    });

    it("previews a config that carries no release yet under no release id", async () => {
      const [east] = gamma;
      if (east === undefined) throw new Error("the sample has a gamma stack");

      const { metadata: _release, ...unreleased } = east.config;

      await previewWave([{ stack: stackRefOf(east), config: unreleased }], options(), world.ports());

      expect(world.reporter.of("stack-previewing")).to.deep.equal([{ type: "stack-previewing", stack: "gamma-us-east-1", releaseId: "" }]);
    });

    it("is cancelled with the run (a second Ctrl-C), reporting no preview as done", async () => {
      const cancelling = new AbortController();
      cancelling.abort();

      await failureOf(previewWave(items(), options({ cancelling: cancelling.signal }), world.ports()));

      expect(world.reporter.of("preview-done")).to.be.empty;
    });
  });

  describe("a preview that fails", () => {
    it("on a locked stack gives the lock's own message, which says what to do", async () => {
      world.engine.lock("gamma-eu-west-1");

      const error = await failureOf(previewWave(items(), options(), world.ports()));

      expect(error).to.be.instanceOf(StackLockedError);
      expect(error.message).to.equal("stack gamma-eu-west-1 is locked by another update; wait for it to finish, or if it died, run `pulumi cancel --stack gamma-eu-west-1`");
    });

    it("on several stacks names each of them, and that nothing in the wave was deployed", async () => {
      world.engine.lock("gamma-us-east-1");
      world.engine.lock("gamma-eu-west-1");

      const error = await failureOf(previewWave(items(), options(), world.ports()));

      expect(error).to.be.instanceOf(DeploymentError);
      expect(error.message).to.equal(
        [
          "preview failed, nothing in the wave was deployed:",
          "  stack gamma-us-east-1 is locked by another update; wait for it to finish, or if it died, run `pulumi cancel --stack gamma-us-east-1`",
          "  stack gamma-eu-west-1 is locked by another update; wait for it to finish, or if it died, run `pulumi cancel --stack gamma-eu-west-1`",
        ].join("\n"),
      );
    });

    it("for any other reason is a failed deployment naming the reason", async () => {
      world.engine.preview = async () => Promise.reject(new Error("the program failed to compile"));

      const error = await failureOf(previewWave(items().slice(0, 1), options(), world.ports()));

      expect(error).to.be.instanceOf(DeploymentError);
      expect(error.message).to.equal("preview failed, nothing in the wave was deployed:\n  the program failed to compile");
    });

    it("on a setup problem stays a setup problem (exit 1, saying what to set), whatever else failed", async () => {
      const setup = new SetupError("passphrase", "PULUMI_CONFIG_PASSPHRASE is not set");
      world.engine.lock("gamma-us-east-1");
      world.engine.preview = async (stack) => Promise.reject(stack.name === "gamma-eu-west-1" ? setup : new StackLockedError(stack.name));

      const error = await failureOf(previewWave(items(), options(), world.ports()));

      expect(error).to.equal(setup);
    });
  });

  describe("the violations that stop a wave", () => {
    const mandatory = (stack: string, policy: string, message: string, resource?: string): PolicyViolation => ({
      stack,
      policy,
      level: "mandatory",
      message,
      ...(resource !== undefined && { resource }),
    });

    it("lists each mandatory violation with its stack, policy and resource, and says nothing was deployed", () => {
      const error = policyViolationError("prod wave canary", [
        mandatory("prod-us-east-1", "prod-no-debug-logging", "checkout logs at DEBUG", "checkout-profile"),
        { stack: "prod-us-east-1", policy: "flag-expiry", level: "advisory", message: "expires soon" },
        mandatory("prod-us-east-1", "iam-no-wildcards", "Action: *"),
      ]);

      expect(error).to.be.instanceOf(PolicyViolationError);
      expect(error.message).to.equal(
        [
          "2 mandatory policy violations in prod wave canary; nothing in it was deployed:",
          "  prod-us-east-1: [prod-no-debug-logging] checkout logs at DEBUG (checkout-profile)",
          "  prod-us-east-1: [iam-no-wildcards] Action: *",
        ].join("\n"),
      );
    });

    it("counts one violation as one", () => {
      const error = policyViolationError("the dry run", [mandatory("beta-us-west-2", "iam-no-wildcards", "Action: *")]);

      expect(error.message.split("\n")[0]).to.equal("1 mandatory policy violation in the dry run; nothing in it was deployed:");
    });
  });
});
