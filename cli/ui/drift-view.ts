import type { StackDrift } from "../pipeline/drift";
import { dim, green, red } from "./style";
import { renderTable } from "./table";

type Stream = NodeJS.WriteStream;

/** `dcp drift`: a row per drifted resource, one per stack that has none. */
export function renderDrift(report: StackDrift[], stream: Stream = process.stdout): string {
  const rows = report.flatMap((s): string[][] => {
    if (s.state === "never-released") return [[s.stack, dim("never released", stream), "", ""]];
    if (s.state === "in-sync") return [[s.stack, green("in sync", stream), "", ""]];
    return s.resources.map((r) => [s.stack, red("drifted", stream), resourceOf(r.type, r.urn), r.properties.join(", ") || "(deleted or replaced)"]);
  });
  return renderTable(["stack", "state", "resource", "properties"], rows);
}

/** `aws:cloudwatch/metricAlarm:MetricAlarm` and `urn:…::checkout-5xx` → `MetricAlarm checkout-5xx`. */
function resourceOf(type: string, urn: string): string {
  return `${type.slice(type.lastIndexOf(":") + 1)} ${urn.slice(urn.lastIndexOf("::") + 2)}`;
}
