import type { FlagValue } from "../../infra/stack-config";
import type { FlagCell } from "../flags/matrix";
import type { FlagMark } from "../flags/marks";

/** `on rolloutPercent=10 layout=compact`, `off`: a flag value in one short line. */
export function flagValueText(value: FlagValue): string {
  const attributes = Object.entries(value)
    .filter(([name]) => name !== "enabled")
    .map(([name, v]) => `${name}=${Array.isArray(v) ? v.join(",") : String(v)}`);
  return [value.enabled ? "on" : "off", ...attributes].join(" ");
}

/** What the stacks of a cell run, said next to what envs/ wants when they differ. */
export function deployedText(cell: FlagCell): string | undefined {
  if (cell.deployed === undefined) return undefined;
  const later = cell.unfinished ? ", and a later update did not finish" : "";
  if (cell.deployed === null) return `never released${later}`;
  const live = flagValueText(cell.deployed);
  if (live === flagValueText(cell.wanted)) return cell.unfinished ? `live${later}` : undefined;
  return `live: ${live}${later}`;
}

/** How each mark reads to a person. */
export const MARK_LABELS: Record<FlagMark, string> = {
  expired: "expired",
  "removal-candidate": "removal candidate",
  "enabled-nowhere": "enabled nowhere",
  unset: "no stage sets it",
};
