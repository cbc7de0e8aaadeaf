/**
 * The marks of the flag matrix: what a flag's owner should act on. Each is judged from
 * the catalogue, the stage files and the stacks' release histories, never from the wall
 * clock directly: "today" is given, so specifications can choose it.
 */
import type { FlagDeclaration } from "../../infra/stack-config";
import type { ResolvedStack } from "../config/model";
import { isExpired } from "../config/flag-catalogue";
import type { HeldValue } from "./held-values";
import { sameFlagValue } from "./same-value";

export const FLAG_MARKS = ["expired", "removal-candidate", "enabled-nowhere", "unset"] as const;
/**
 * - expired: past the catalogue's `expires`;
 * - removal-candidate: on, with one value, on every stack of every stage, for at least the stale days;
 * - enabled-nowhere: off on every stack of every stage;
 * - unset: no stage file sets it (so it is off everywhere).
 */
export type FlagMark = (typeof FLAG_MARKS)[number];

export interface MarkInput {
  key: string;
  declaration: FlagDeclaration;
  setBy: string[];
  stacks: ResolvedStack[];
  held: ReadonlyMap<string, ReadonlyMap<string, HeldValue>>;
  today: string;
  now: Date;
  staleDays: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function flagMarks(input: MarkInput): { marks: FlagMark[]; unchangedSince?: string } {
  const { key, declaration, setBy, stacks, today } = input;
  const marks: FlagMark[] = [];
  if (isExpired(declaration, today)) marks.push("expired");
  const unchangedSince = removalCandidateSince(input);
  if (unchangedSince !== undefined) marks.push("removal-candidate");
  if (stacks.every((s) => !s.config.flags[key]!.value.enabled)) marks.push("enabled-nowhere");
  if (setBy.length === 0) marks.push("unset");
  return { marks, ...(unchangedSince !== undefined && { unchangedSince: unchangedSince.toISOString() }) };
}

/**
 * Since when every stack has run the flag on, with the value envs/ wants of it everywhere,
 * when that is at least `staleDays` ago: nobody has needed to change it, so it can leave
 * the code. A stack never released, or whose last update did not finish, cannot vouch for that.
 */
function removalCandidateSince({ key, stacks, held, now, staleDays }: MarkInput): Date | undefined {
  const [first] = stacks;
  if (first === undefined) return undefined;
  const value = first.config.flags[key]!.value;
  if (!value.enabled) return undefined;
  let latest = new Date(0);
  for (const stack of stacks) {
    if (!sameFlagValue(stack.config.flags[key]!.value, value)) return undefined;
    const live = held.get(stack.name)?.get(key);
    if (live === undefined || !sameFlagValue(live.value, value)) return undefined;
    if (live.since > latest) latest = live.since;
  }
  return now.getTime() - latest.getTime() >= staleDays * DAY_MS ? latest : undefined;
}
