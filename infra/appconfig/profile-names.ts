import type { StackConfig } from "../stack-config";

/** The profile that holds the feature flags; every other profile is named after its component. */
export const FEATURE_FLAGS_PROFILE = "feature-flags";

/** The AppConfig profiles a StackConfig declares, by name: what dcp needs without rendering their content. */
export function profileNames(config: Pick<StackConfig, "components">): string[] {
  return [FEATURE_FLAGS_PROFILE, ...Object.keys(config.components)];
}
