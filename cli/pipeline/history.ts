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
 * The release before the one the stack holds: the newest successful update that
 * applied another release. After a rollback this is the release rolled back from,
 * which is what someone repeating `rollback` in an incident expects to toggle to.
 */
export function previousRelease(records: ReleaseRecord[], currentReleaseId: string | undefined): ReleaseRecord | undefined {
  if (currentReleaseId === undefined) return undefined;
  return records.find((r) => isRestorable(r) && releaseIdOfRecord(r) !== currentReleaseId);
}

/** The newest successful update of a release run (all stacks of one run share `releasedAt`). */
export function findReleaseRun(records: ReleaseRecord[], releasedAt: string): ReleaseRecord | undefined {
  return records.find((r) => isRestorable(r) && r.config?.metadata?.releasedAt === releasedAt);
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

/** The updates of each stack, newest first, read concurrently. */
export async function stackHistories(stacks: StackRef[], engine: Engine): Promise<StackHistory[]> {
  return Promise.all(
    stacks.map(async (stack) => ({
      stack: stack.name,
      region: stack.region,
      entries: (await engine.history(stack)).filter(isRelease).map(entryOf),
    })),
  );
}
