/**
 * What the engine-backed commands (release, rollback, preview, status, history) share:
 * envs/, the real Engine and HealthMonitor (loaded lazily, so `dcp --help` stays fast),
 * the reporter for this output, an approver when a person can answer, Ctrl-C wiring,
 * and who is releasing from which commit.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import type { Envs } from "../config/model";
import type { Interrupts } from "../pipeline/interrupts";
import type { ReleaseContext } from "../pipeline/metadata";
import type { PipelinePorts, PolicyPackConfig, Reporter } from "../pipeline/ports";
import type { CheckReport } from "../verify/junit";
import { load, type GlobalOptions } from "./command";

export interface PipelineRuntime {
  envs: Envs;
  ports: PipelinePorts;
  /** Every run of the stages' verify checks, for `--report`. */
  checkReport: CheckReport;
  /** What every release, preview and rollback takes besides its own options. */
  runOptions: {
    policyConfig: (stage: string) => PolicyPackConfig;
    context: ReleaseContext;
    interrupts: Interrupts;
  };
  /** Why runs of one stage are not kept apart on this backend: for the commands that take stage leases to show. */
  leaseNotice?: string;
  /** Unhooks Ctrl-C; call when the command is done. */
  close(): void;
}

/** Open the pipeline for one command, run it, and always unhook Ctrl-C afterwards. */
export async function withPipeline<T>(args: GlobalOptions, use: (runtime: PipelineRuntime) => Promise<T>): Promise<T> {
  const runtime = await openPipeline(args);
  try {
    return await use(runtime);
  } finally {
    runtime.close();
  }
}

async function openPipeline(args: GlobalOptions): Promise<PipelineRuntime> {
  load<typeof import("../engine/pulumi-on-path")>("../engine/pulumi-on-path").requirePulumiOnPath();
  const { requireEnvs } = load<typeof import("../config/envs")>("../config/envs");
  const { policyConfigFor } = load<typeof import("../config/policy-config")>("../config/policy-config");
  const { createEngine } = load<typeof import("../engine")>("../engine");
  const { createHealthMonitor } = load<typeof import("../health")>("../health");
  const { withVerification } = load<typeof import("../verify/monitor")>("../verify/monitor");
  const { CheckReport } = load<typeof import("../verify/junit")>("../verify/junit");
  const { systemClock } = load<typeof import("../pipeline/clock")>("../pipeline/clock");
  const { Interrupts } = load<typeof import("../pipeline/interrupts")>("../pipeline/interrupts");
  const { leaseStoreFor } = load<typeof import("../engine/lease-store")>("../engine/lease-store");
  const { leaseHolder } = load<typeof import("./lease-holder")>("./lease-holder");

  const envs = await requireEnvs(args.envs);
  const repoRoot = path.dirname(envs.dir);
  const engine = await createEngine(envs, { repoRoot });
  const checkReport = new CheckReport();
  const health = withVerification(createHealthMonitor(envs), envs, { repoRoot, onRun: checkReport.record });
  const interactive = !args.json && Boolean(process.stdin.isTTY && process.stderr.isTTY);
  const reporter = await reporterFor(interactive);
  const approver = interactive ? new (load<typeof import("../ui/terminal-approver")>("../ui/terminal-approver").TerminalApprover)() : undefined;
  const interrupts = new Interrupts();
  const leases = leaseStoreFor(envs.pipeline.state, repoRoot, envs.pipeline.workload);
  const onSigint = () => interrupts.interrupt();
  process.on("SIGINT", onSigint);
  return {
    envs,
    ports: {
      engine,
      health,
      reporter,
      clock: systemClock,
      ...(approver && { approver }),
      ...(leases.store && { leases: { store: leases.store, holder: leaseHolder(process.argv.slice(2)) } }),
    },
    checkReport,
    ...(leases.notice !== undefined && { leaseNotice: leases.notice }),
    runOptions: { policyConfig: (stage) => policyConfigFor(envs, stage), context: releaseContext(repoRoot), interrupts },
    close: () => process.off("SIGINT", onSigint),
  };
}

/** NDJSON on stdout for programs; spinners on stderr for a person (ora needs a sized terminal). */
async function reporterFor(interactive: boolean): Promise<Reporter> {
  if (!interactive || !process.stderr.columns) {
    const { JsonLinesReporter } = load<typeof import("../ui/json-reporter")>("../ui/json-reporter");
    return new JsonLinesReporter(process.stdout);
  }
  const { createTerminalReporter } = load<typeof import("../ui/terminal-reporter")>("../ui/terminal-reporter");
  return createTerminalReporter(process.stderr);
}

/** Who releases, from which commit, from which CI system: recorded in every stack's update. */
export function releaseContext(repoRoot: string, env: NodeJS.ProcessEnv = process.env): ReleaseContext {
  const git = (...gitArgs: string[]) => {
    try {
      return execFileSync("git", gitArgs, { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
      return undefined;
    }
  };
  const releasedBy = git("config", "user.email") || env["GITHUB_ACTOR"] || env["GITLAB_USER_LOGIN"] || env["USER"];
  const gitCommit = git("rev-parse", "HEAD");
  const status = git("status", "--porcelain", "--", "infra", "envs", "policies", "Pulumi.yaml");
  const ci = ciSystem(env);
  return {
    ...(releasedBy && { releasedBy }),
    ...(gitCommit && { gitCommit }),
    ...(status !== undefined && { gitDirty: status.length > 0 }),
    ...(ci && { ci }),
  };
}

function ciSystem(env: NodeJS.ProcessEnv): string | undefined {
  if (env["GITHUB_ACTIONS"]) return "github-actions";
  if (env["GITLAB_CI"]) return "gitlab-ci";
  if (env["CODEBUILD_BUILD_ID"]) return "aws-codebuild";
  if (env["BUILDKITE"]) return "buildkite";
  if (env["JENKINS_URL"]) return "jenkins";
  return env["CI"] ? "ci" : undefined;
}
