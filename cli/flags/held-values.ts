/**
 * What a stack runs of each flag, and since when, read from its release history: the
 * StackConfig of every update dcp made is recorded there, so the history says how long
 * a value has stood without a second database.
 */
import type { FlagValue } from "../../infra/stack-config";
import { isRelease, positionOf } from "../pipeline/history";
import type { ReleaseRecord } from "../pipeline/ports";
import { sameFlagValue } from "./same-value";

export interface HeldValue {
  value: FlagValue;
  /** When the oldest of the unbroken run of updates that left this value finished. */
  since: Date;
}

/**
 * Flag key → the value the stack holds and since when. Empty for a stack never released,
 * and for one whose last update failed or never finished: what it runs is then uncertain
 * (part of the failed release may be live), so nothing can be said to have stood.
 */
export function heldValues(records: ReleaseRecord[]): Map<string, HeldValue> {
  const held = new Map<string, HeldValue>();
  const position = positionOf(records);
  if (position.applied?.config === undefined || position.unfinished.length > 0) return held;
  const releases = records.filter((r) => isRelease(r) && r.result === "succeeded" && r.config !== undefined);
  for (const [key, { value }] of Object.entries(position.applied.config.flags)) {
    let since = finishedAt(releases[0]!);
    for (let i = 1; i < releases.length; i++) {
      const older = releases[i]!.config?.flags[key];
      if (older === undefined || !sameFlagValue(older.value, value)) break;
      since = finishedAt(releases[i]!);
    }
    held.set(key, { value, since });
  }
  return held;
}

function finishedAt(record: ReleaseRecord): Date {
  return record.endedAt ?? record.startedAt;
}
