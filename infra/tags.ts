import type { StackConfig } from "./stack-config";

/**
 * Tag keys every taggable resource must carry. They are set once, as the provider's
 * default tags, so that no resource can be declared without them.
 */
export const REQUIRED_TAG_KEYS = ["workload", "stage", "region", "managed-by"] as const;

/** Ties a resource to the release that last touched it, for `dcp history` and CloudTrail searches. */
export const RELEASE_TAG_KEY = "release-id";

export function stackTags(config: StackConfig): Record<string, string> {
  const tags: Record<string, string> = {
    workload: config.workload,
    stage: config.stage,
    region: config.region,
    "managed-by": "dcp",
  };
  if (config.metadata) tags[RELEASE_TAG_KEY] = config.metadata.releaseId;
  return tags;
}
