/**
 * The oldest Pulumi CLI dcp works with, derived from what dcp uses of it. Each entry is
 * the release that introduced the feature (pulumi/pulumi CHANGELOG.md); an older CLI
 * runs, but drift or policy gates would silently see less, so it is refused up front.
 */

export interface CliFeature {
  version: string;
  feature: string;
}

export const CLI_FEATURES: readonly CliFeature[] = [
  // 3.105.0: "[cli] Adds a `preview-only` flag to `pulumi refresh`" (#15330).
  { version: "3.105.0", feature: "`pulumi refresh --preview-only`, which `dcp drift` runs" },
  // 3.120.0: "[engine] Change `pulumi refresh` to report diffs relative to desired state …".
  { version: "3.120.0", feature: "refresh diffs against the desired state, from which `dcp drift` names changed properties" },
  // 3.131.0: "[cli] Include all engine events in the event-log" (#17101).
  { version: "3.131.0", feature: "every engine event in the event log, where dcp reads policy violations and errors" },
];

/** The features are listed oldest first (a spec keeps them so): the last one's release is the oldest CLI dcp works with. */
export const MINIMUM_PULUMI_VERSION = CLI_FEATURES[CLI_FEATURES.length - 1]!.version;

/** What a CLI of `version` lacks, oldest first; empty when it is recent enough. */
export function missingFeatures(version: string): CliFeature[] {
  return CLI_FEATURES.filter((entry) => compareVersions(version, entry.version) < 0);
}

/** Compares `major.minor.patch` numerically; a pre-release suffix is ignored. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) =>
    v
      .slice(v.startsWith("v") ? 1 : 0)
      .replace(/[-+].*/, "")
      .split(".")
      .map(Number);
  const [pa, pb] = [parts(a), parts(b)];
  for (const i of [0, 1, 2]) {
    const difference = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}
