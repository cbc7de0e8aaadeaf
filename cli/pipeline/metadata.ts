import type { StackConfig } from "../../infra/stack-config";
import type { StackOutputs } from "../../infra/outputs";
import { releaseIdOf } from "../config/release-id";
import { deployedContentOf } from "./apply-stack";

/** Who and what makes a release, as the command found out (git, CI); the core adds the time. */
export interface ReleaseContext {
  releasedBy?: string;
  gitCommit?: string;
  gitDirty?: boolean;
  ci?: string;
}

/**
 * The config as it is applied: the resolved StackConfig with the release metadata
 * that makes the stack's update history a ledger. `deployedContent` comes from what
 * the stack runs now, so that the program redeploys only the profiles that change.
 */
export function stampRelease(
  config: StackConfig,
  context: ReleaseContext,
  releasedAt: string,
  deployed: StackOutputs | undefined,
  reason?: string,
): StackConfig {
  const { metadata: _previous, ...content } = config;
  return {
    ...content,
    metadata: {
      releaseId: config.metadata?.releaseId ?? releaseIdOf(config),
      releasedAt,
      ...(context.releasedBy !== undefined && { releasedBy: context.releasedBy }),
      ...(context.gitCommit !== undefined && { gitCommit: context.gitCommit }),
      ...(context.gitDirty !== undefined && { gitDirty: context.gitDirty }),
      ...(context.ci !== undefined && { ci: context.ci }),
      ...(reason !== undefined && { reason }),
      ...(deployed !== undefined && { deployedContent: { ...deployedContentOf(deployed) } }),
    },
  };
}
