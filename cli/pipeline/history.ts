/**
 * Reading a stack's update history as the release ledger: dcp records the full
 * StackConfig (with its release metadata) in every update it makes, so the history
 * answers "what did this stack run before" without a second database.
 */
import type { Engine, ReleaseRecord, StackRef } from "./ports";

export function releaseIdOfRecord(record: ReleaseRecord): string | undefined {
  return record.config?.metadata?.releaseId;
}

/**
 * Only updates are releases. A refresh is recorded with whatever StackConfig the settings
 * file held at the time (perhaps one only ever previewed), and deploys nothing.
 */
export function isRelease(record: ReleaseRecord): boolean {
  return record.kind === "update";
}

function isRestorable(record: ReleaseRecord): boolean {
  return isRelease(record) && record.result === "succeeded" && record.config !== undefined;
}

/** The newest successful update that applied `releaseId`. */
export function findRelease(records: ReleaseRecord[], releaseId: string): ReleaseRecord | undefined {
  return records.find((r) => isRestorable(r) && releaseIdOfRecord(r) === releaseId);
}

/**
 * The release before `releaseId`, the one the stack holds (perhaps partly): the newest
 * successful update that applied another release.
 */
export function previousRelease(records: ReleaseRecord[], releaseId: string | undefined): ReleaseRecord | undefined {
  if (releaseId === undefined) return undefined;
  return records.find((r) => isRestorable(r) && releaseIdOfRecord(r) !== releaseId);
}

/**
 * The newest successful update of the release run that applied `releaseId` on any of
 * `histories`. Release ids are per stack (the region is part of the content), so the
 * other stacks are matched on the run: every update that applied one of the run's
 * releases carries its `releasedAt`, a rollback to it included (older rollbacks carry
 * their own time, which is why every record of the release counts, not only the newest).
 */
export function releaseRunOf(releaseId: string, histories: ReleaseRecord[][]): ((history: ReleaseRecord[]) => ReleaseRecord | undefined) | undefined {
  const records = histories.flat().filter((r) => isRestorable(r) && releaseIdOfRecord(r) === releaseId);
  if (records.length === 0) return undefined;
  const runs = new Set(records.map(releasedAtOf));
  return (history) =>
    findRelease(history, releaseId) ?? history.find((r) => isRestorable(r) && releasedAtOf(r) !== undefined && runs.has(releasedAtOf(r)));
}

function releasedAtOf(record: ReleaseRecord): string | undefined {
  return record.config?.metadata?.releasedAt;
}

/**
 * The reason dcp writes on every rollback update, and the release it left. A field of
 * its own would not do: a rollback may run an older revision's program, whose schema
 * refuses metadata it does not know; and this reads the rollbacks of existing ledgers.
 */
const ROLLBACK_FROM_REASON = /^rollback from ([0-9a-f]{12}) to [0-9a-f]{12}$/;
const ROLLBACK_TO_REASON = /^rollback to [0-9a-f]{12}$/;

function reasonOf(record: ReleaseRecord | undefined): string {
  // Stryker disable next-line StringLiteral: an update without a reason matches neither pattern, whatever text stands in for it
  return record?.config?.metadata?.reason ?? "";
}

function isRollback(record: ReleaseRecord | undefined): boolean {
  const reason = reasonOf(record);
  return ROLLBACK_FROM_REASON.test(reason) || ROLLBACK_TO_REASON.test(reason);
}

/** The release a rollback update returned the stack from; undefined for any other update. */
export function rolledBackFrom(record: ReleaseRecord | undefined): string | undefined {
  return ROLLBACK_FROM_REASON.exec(reasonOf(record))?.[1];
}

/**
 * Where a stack stands, read from its update history. Its outputs are no guide after a
 * failed or interrupted update: the engine registers outputs only when an update
 * succeeds, so they still describe the last one that did, while the failed one may
 * have changed (and AppConfig may be serving) part of the new release.
 */
export interface StackPosition {
  /** The newest successful update: the one the outputs describe. */
  applied?: ReleaseRecord;
  /** dcp's updates newer than `applied` that failed or never finished, newest first. */
  unfinished: ReleaseRecord[];
}

export function positionOf(records: ReleaseRecord[]): StackPosition {
  const updates = records.filter(isRelease);
  const newestSuccess = updates.findIndex((r) => r.result === "succeeded");
  // A bake record that failed changed nothing: it applied the config the stack already ran.
  const unfinished = (newestSuccess < 0 ? updates : updates.slice(0, newestSuccess)).filter(
    (r) => r.config !== undefined && r.config.metadata?.bakedAt === undefined,
  );
  return { ...(newestSuccess >= 0 && { applied: updates[newestSuccess] }), unfinished };
}

/**
 * The release the stack holds, perhaps only partly: the one an unfinished release was
 * rolling out, the one an unfinished rollback was leaving, else the one last applied.
 */
export function heldRelease(position: StackPosition): string | undefined {
  const [attempt] = position.unfinished;
  if (attempt !== undefined) return isRollback(attempt) ? (rolledBackFrom(attempt) ?? appliedRelease(position)) : releaseIdOfRecord(attempt);
  return appliedRelease(position);
}

function appliedRelease(position: StackPosition): string | undefined {
  return position.applied && releaseIdOfRecord(position.applied);
}

/**
 * "baked": the release baked healthy on the stack (its last update recorded that, and
 * nothing was attempted since); "unbaked": the stack runs the release, which never
 * baked healthy on it; "pending": the stack needs the update.
 */
export type ReleaseStanding = "baked" | "unbaked" | "pending";

export function standingOf(position: StackPosition, releaseId: string): ReleaseStanding {
  const metadata = position.applied?.config?.metadata;
  if (position.unfinished.length > 0 || metadata?.releaseId !== releaseId) return "pending";
  return metadata.bakedAt !== undefined ? "baked" : "unbaked";
}

/** One update of a stack, as `dcp history` and `dcp status` show it. */
export interface HistoryEntry {
  version: number;
  kind: string;
  result: ReleaseRecord["result"];
  startedAt: Date;
  endedAt?: Date;
  releaseId?: string;
  releasedBy?: string;
  gitCommit?: string;
  ci?: string;
  reason?: string;
  /** When the release passed its bake on the stack; absent while it has not. */
  bakedAt?: Date;
}

export interface StackHistory {
  stack: string;
  region: string;
  /** Newest first. */
  entries: HistoryEntry[];
}

/** What the record says about who made it: dcp's metadata first, the engine's environment otherwise. */
export function entryOf(record: ReleaseRecord): HistoryEntry {
  const metadata = record.config?.metadata;
  const env = record.environment;
  const releasedBy = metadata?.releasedBy ?? env["git.author"] ?? env["git.committer"];
  const gitCommit = metadata?.gitCommit ?? env["git.head"];
  const ci = metadata?.ci ?? env["ci.system"];
  return {
    version: record.version,
    kind: record.kind,
    result: record.result,
    startedAt: record.startedAt,
    ...(record.endedAt !== undefined && { endedAt: record.endedAt }),
    ...(metadata?.releaseId !== undefined && { releaseId: metadata.releaseId }),
    ...(releasedBy !== undefined && { releasedBy }),
    ...(gitCommit !== undefined && { gitCommit }),
    ...(ci !== undefined && { ci }),
    ...(metadata?.reason !== undefined && { reason: metadata.reason }),
  };
}

/** An update that only recorded a healthy bake of the release the stack already ran. */
function isBakeRecord(record: ReleaseRecord): boolean {
  return record.result === "succeeded" && record.config?.metadata?.bakedAt !== undefined;
}

/** The successful update that applied the stack's current release, passing over the record of its bake. */
export function releaseUpdate(records: ReleaseRecord[], releaseId: string): ReleaseRecord | undefined {
  return records.find((r) => isRestorable(r) && !isBakeRecord(r) && releaseIdOfRecord(r) === releaseId);
}

/**
 * The releases of each stack, newest first, read concurrently. The record of a bake is
 * not a release: it marks the update it followed as baked. Nor is each update a release:
 * dcp deploys a stack's changed AppConfig profiles one update at a time, so the updates
 * of one run of a release (same release id, same `releasedAt`) are one entry, from the
 * first one's start to the last one's end.
 */
export async function stackHistories(stacks: StackRef[], engine: Engine): Promise<StackHistory[]> {
  return Promise.all(
    stacks.map(async (stack) => {
      const entries: HistoryEntry[] = [];
      let baked: { releaseId: string; at: Date } | undefined;
      let newer: { run: string | undefined; entry: HistoryEntry } | undefined;
      for (const record of (await engine.history(stack)).filter(isRelease)) {
        const metadata = record.config?.metadata;
        if (isBakeRecord(record) && metadata?.bakedAt !== undefined) {
          baked = { releaseId: metadata.releaseId, at: new Date(metadata.bakedAt) };
          continue;
        }
        const run = record.result === "succeeded" && metadata !== undefined ? JSON.stringify([metadata.releaseId, metadata.releasedAt]) : undefined;
        if (run !== undefined && newer?.run === run) {
          newer.entry.startedAt = record.startedAt;
          continue;
        }
        const marks = baked !== undefined && record.result === "succeeded" && metadata?.releaseId === baked.releaseId;
        const entry: HistoryEntry = { ...entryOf(record), ...(marks && { bakedAt: baked?.at }) };
        entries.push(entry);
        newer = { run, entry };
        baked = undefined;
      }
      return { stack: stack.name, region: stack.region, entries };
    }),
  );
}
