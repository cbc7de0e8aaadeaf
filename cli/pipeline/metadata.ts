import type { StackConfig } from "../../infra/stack-config";
import type { StackOutputs } from "../../infra/outputs";
import { FEATURE_FLAGS_PROFILE } from "../../infra/appconfig/profile-names";
import { canonicalJson, releaseIdOf } from "../config/release-id";
import type { StackPosition } from "./history";

/** Who and what makes a release, as the command found out (git, CI); the core adds the time. */
export interface ReleaseContext {
  releasedBy?: string;
  gitCommit?: string;
  gitDirty?: boolean;
  ci?: string;
}

/**
 * The config as it is applied: the resolved StackConfig with the release metadata
 * that makes the stack's update history a ledger. `deployedContent` is what AppConfig
 * serves on the stack now (see servedContent): the program deploys every other profile.
 */
export function stampRelease(
  config: StackConfig,
  context: ReleaseContext,
  releasedAt: string,
  deployedContent: Record<string, string> | undefined,
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
      ...(deployedContent !== undefined && { deployedContent }),
    },
  };
}

/**
 * The config that records a healthy bake: the one the stack runs, unchanged but for
 * `bakedAt`, and `deployedContent` saying AppConfig now serves every profile of it
 * (the bake waited for the deployments to complete), so the update deploys nothing.
 */
export function markBaked(config: StackConfig, outputs: StackOutputs, bakedAt: string): StackConfig {
  const metadata = config.metadata ?? { releaseId: releaseIdOf(config) };
  return { ...config, metadata: { ...metadata, deployedContent: { ...outputs.contentHashes }, bakedAt } };
}

/**
 * What AppConfig serves on the stack, as far as its ledger can tell: the content of the
 * last successful update (its outputs), less every profile that an update attempted
 * since may have deployed. Those are deployed again by whatever is applied next.
 */
export function servedContent(position: StackPosition, outputs: StackOutputs | undefined): Record<string, string> | undefined {
  if (outputs === undefined) return undefined;
  const served = { ...outputs.contentHashes };
  const applied = position.applied?.config;
  for (const attempt of position.unfinished) {
    for (const profile of Object.keys(served)) {
      if (attempt.config === undefined || applied === undefined || mayChange(profile, attempt.config, applied)) delete served[profile];
    }
  }
  return served;
}

/**
 * Whether applying `attempt` over `applied` renders other content for the profile. The
 * flags' content also depends on the release's day (expired flags are rendered off).
 */
function mayChange(profile: string, attempt: StackConfig, applied: StackConfig): boolean {
  if (profile === FEATURE_FLAGS_PROFILE) {
    const day = (config: StackConfig) => config.metadata?.releasedAt?.slice(0, 10);
    return canonicalJson(attempt.flags) !== canonicalJson(applied.flags) || day(attempt) !== day(applied);
  }
  return canonicalJson(attempt.components[profile]?.config) !== canonicalJson(applied.components[profile]?.config);
}
