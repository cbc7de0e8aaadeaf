import type { StackHistory } from "../pipeline/history";
import type { StackStatus } from "../pipeline/status";
import { dim, green, red, yellow } from "./style";
import { renderTable } from "./table";

type Stream = NodeJS.WriteStream;

/** `dcp status`: one row per stack. */
export function renderStatus(rows: StackStatus[], stream: Stream = process.stdout): string {
  const body = rows.map((r) => {
    const update = r.lastUpdate;
    const state =
      r.releaseId === undefined ? dim("never released", stream) : r.releaseId === r.wantedReleaseId ? green("up to date", stream) : yellow(`pending ${r.wantedReleaseId}`, stream);
    return [
      r.stack,
      r.releaseId ?? "",
      state,
      update ? (update.endedAt ?? update.startedAt).toISOString().replace(/\.\d+Z$/, "Z") : "",
      [update?.releasedBy, update?.ci && `via ${update.ci}`].filter(Boolean).join(" "),
      update?.gitCommit?.slice(0, 8) ?? "",
      Object.entries(r.deployments).map(([profile, n]) => `${profile}#${n}`).join(" "),
      healthOf(r, stream),
      update?.reason ?? "",
    ];
  });
  return renderTable(["stack", "release", "state", "released at", "by", "commit", "deployments", "health", "note"], body);
}

function healthOf(r: StackStatus, stream: Stream): string {
  if (r.healthError !== undefined) return red(`unreadable: ${r.healthError}`, stream);
  if (r.health === undefined) return r.releaseId === undefined ? "" : dim("not checked", stream);
  if (r.health.healthy) return green(`OK (${r.alarms.length} alarms)`, stream);
  return red(r.health.reasons.map((reason) => `${reason.kind} ${reason.subject}: ${reason.detail}`).join("; "), stream);
}

/** `dcp history`: each stack's releases, newest first. */
export function renderHistory(histories: StackHistory[], limit: number, stream: Stream = process.stdout): string {
  return histories
    .map((h) => {
      const rows = h.entries.slice(0, limit).map((e) => [
        String(e.version),
        e.releaseId ?? dim("(not dcp)", stream),
        e.result === "succeeded" ? e.result : red(e.result, stream),
        e.startedAt.toISOString().replace(/\.\d+Z$/, "Z"),
        [e.releasedBy, e.ci && `via ${e.ci}`].filter(Boolean).join(" "),
        e.gitCommit?.slice(0, 8) ?? "",
        [e.bakedAt && "baked healthy", e.reason].filter(Boolean).join("; "),
      ]);
      const more = h.entries.length > limit ? `\n${dim(`… ${h.entries.length - limit} older (use --limit)`, stream)}` : "";
      const table = rows.length > 0 ? renderTable(["#", "release", "result", "started", "by", "commit", "note"], rows) : dim("never released", stream);
      return `${h.stack}\n${table}${more}`;
    })
    .join("\n\n");
}
