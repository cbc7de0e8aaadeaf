import { createHash } from "node:crypto";
import type { StackConfig } from "../stack-config";
import { renderFeatureFlags } from "./feature-flags";
import { featureFlagsViolations } from "./feature-flags-rules";
import { FEATURE_FLAGS_PROFILE } from "./profile-names";

/** AppConfig keeps a JSON_SCHEMA validator's content to at most 32,768 characters. */
const VALIDATOR_CONTENT_MAX = 32_768;

/** What one AppConfig configuration profile holds for a stack, before any resource exists. */
export interface ProfileContent {
  /** Profile name: "feature-flags" or the component's name. */
  name: string;
  type: "AWS.AppConfig.FeatureFlags" | "AWS.Freeform";
  /** The hosted configuration, as JSON. */
  content: string;
  /** sha256 of `content`: what `metadata.deployedContent` is compared with. */
  hash: string;
  /** The component's JSON Schema, serialised for the profile's JSON_SCHEMA validator. */
  validatorSchema?: string;
}

/**
 * Every profile's content for a stack: the flags in AppConfig's format, then one
 * freeform document per component. Keys are sorted so that reordering a YAML file
 * does not count as a change and trigger a deployment.
 */
export function renderProfileContents(config: StackConfig, asOf: string): ProfileContent[] {
  const flags = renderFeatureFlags(config.flags, asOf);
  const violations = featureFlagsViolations(flags);
  if (violations.length > 0) {
    throw new Error(`the feature flags of ${config.stage} break AppConfig's rules:\n  ${violations.join("\n  ")}`);
  }
  const profiles: ProfileContent[] = [profileContent(FEATURE_FLAGS_PROFILE, "AWS.AppConfig.FeatureFlags", flags)];
  for (const [name, component] of Object.entries(config.components)) {
    const validatorSchema = canonicalJson(component.schema);
    if (validatorSchema.length > VALIDATOR_CONTENT_MAX) {
      throw new Error(`the schema of component ${name} is longer than AppConfig's validator limit of ${VALIDATOR_CONTENT_MAX} characters`);
    }
    profiles.push({ ...profileContent(name, "AWS.Freeform", component.config), validatorSchema });
  }
  return profiles;
}

/** Profiles whose content differs from what the stack runs now, in the order they are deployed. */
export function changedProfiles(profiles: ProfileContent[], deployedContent: Record<string, string> = {}): ProfileContent[] {
  return profiles.filter((profile) => deployedContent[profile.name] !== profile.hash);
}

/**
 * What the stack is known to run, per declared profile: the deployed content it was
 * given, without profiles it no longer declares. A deployment this update starts is
 * not in it until dcp has seen it complete and applies the stack again.
 */
export function confirmedContent(profiles: ProfileContent[], deployedContent: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(profiles.flatMap((profile) => {
    const hash = deployedContent[profile.name];
    return hash === undefined ? [] : [[profile.name, hash]];
  }));
}

function profileContent(name: string, type: ProfileContent["type"], document: unknown): ProfileContent {
  const content = canonicalJson(document);
  return { name, type, content, hash: createHash("sha256").update(content).digest("hex") };
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
