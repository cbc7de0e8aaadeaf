import type { Envs, ResolvedStack } from "../../../cli/config/model";
import { releaseIdOf } from "../../../cli/config/release-id";
import { resolveStacks } from "../../../cli/config/resolve";
import { DcpError } from "../../../cli/errors";
import { stackRefOf } from "../../../cli/pipeline/plan";
import type { PipelinePorts } from "../../../cli/pipeline/ports";
import type { ReleaseOptions } from "../../../cli/pipeline/release";
import type { StackConfig } from "../../../infra/stack-config";
import { FakeClock } from "./clock";
import { InMemoryEngine, type EngineOperation } from "./engine";
import { FakeDeploymentControl } from "./deployments";
import { FakeHealthMonitor } from "./health";
import { RecordingReporter } from "./reporter";
import type { ScriptedApprover } from "./approver";
import { sampleEnvsOf } from "../../support/sample-envs";

/**
 * The repository's envs/ without promotion soaks: the scenarios release beta → prod in
 * one run, which a soak forbids; the soak guard has its own specification (soak.test.ts).
 */
export async function sampleEnvs(): Promise<Envs> {
  const envs = await sampleEnvsOf();
  return { ...envs, stages: envs.stages.map(({ definition: { promotion: _soak, ...definition }, ...stage }) => ({ ...stage, definition })) };
}

export function withRollbackScope(envs: Envs, rollbackScope: "wave" | "stage"): Envs {
  return { ...envs, pipeline: { ...envs.pipeline, rollbackScope } };
}

export function withApproval(envs: Envs, stage: string, approval: "none" | "manual"): Envs {
  return { ...envs, stages: envs.stages.map((s) => (s.name === stage ? { ...s, definition: { ...s.definition, approval } } : s)) };
}

/** The fakes wired as the pipeline's ports, plus what the tests need to script and inspect them. */
export class World {
  readonly clock = new FakeClock();
  readonly engine: InMemoryEngine;
  readonly health: FakeHealthMonitor;
  readonly deployments: FakeDeploymentControl;
  readonly reporter = new RecordingReporter();

  constructor(
    readonly envs: Envs,
    latencyMs: Partial<Record<EngineOperation, number>> = {},
  ) {
    this.engine = new InMemoryEngine(latencyMs, () => this.clock.now());
    this.health = new FakeHealthMonitor(this.clock);
    this.deployments = new FakeDeploymentControl(this.clock);
    this.engine.onDeploymentStarted = (stack, deploymentNumber) => this.deployments.started(stack, deploymentNumber);
  }

  ports(approver?: ScriptedApprover): PipelinePorts {
    return { engine: this.engine, health: this.health, deployments: this.deployments, reporter: this.reporter, clock: this.clock, ...(approver && { approver }) };
  }

  stacks(stage?: string): ResolvedStack[] {
    return resolveStacks(this.envs, stage !== undefined ? { stage } : {});
  }

  /** Every stack (of `stage`) already runs an earlier release, as it would after last week's release. */
  seedPreviousRelease(stage?: string): Map<string, StackConfig> {
    const previous = new Map<string, StackConfig>();
    for (const stack of this.stacks(stage)) {
      const config = earlierConfigOf(stack);
      this.engine.seed(stackRefOf(stack), config, { "git.author": "Ada <ada@example.com>" });
      previous.set(stack.name, config);
    }
    return previous;
  }
}

/** The stack's config with one flag value different, recorded as a release from an older git revision. */
export function earlierConfigOf(stack: ResolvedStack): StackConfig {
  const config = structuredClone(stack.config);
  const applePay = config.flags["apple-pay"];
  if (applePay === undefined) throw new Error("the sample declares apple-pay");
  applePay.value = { enabled: !applePay.value.enabled };
  config.metadata = { releaseId: releaseIdOf(config), releasedAt: "2026-01-15T10:00:00.000Z", releasedBy: "ada@example.com", gitCommit: "0ld0ld0" };
  return config;
}

/** Who releases in the scenarios, from which commit. */
export const RELEASE_CONTEXT = { releasedBy: "grace@example.com", gitCommit: "c0ffee1", ci: "github-actions" };

export function releaseOptions(overrides: Partial<ReleaseOptions> = {}): ReleaseOptions {
  return {
    to: "prod",
    approve: true,
    policyConfig: (stage) => ({ stage }),
    context: RELEASE_CONTEXT,
    ...overrides,
  };
}

/** The domain error `work` fails with; fails the test when it succeeds. */
export async function failureOf(work: Promise<unknown>): Promise<DcpError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof DcpError) return error;
    throw error;
  }
  throw new Error("expected the operation to fail, and it succeeded");
}
