/**
 * GitHub-flavoured Markdown for $GITHUB_STEP_SUMMARY or a pull-request comment: value
 * diffs as tables. Cells are escaped so that a value never breaks the table.
 */
import type { StageValueDiff } from "../pipeline/deployed-diff";
import type { StageChange } from "../pipeline/stage-diff";
import { formatValue } from "./diff-view";

export function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/** Text as a table cell: pipes escaped, line breaks joined. */
export function cell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** Text as inline code in a cell, whatever backticks it holds. */
export function code(text: string): string {
  const fence = "`".repeat(Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length)) + 1);
  const padded = text.startsWith("`") || text.endsWith("`") ? ` ${text} ` : text;
  return cell(`${fence}${padded}${fence}`);
}

/** `dcp diff --from A --to B --markdown`. */
export function stageDiffMarkdown(from: string, to: string, changes: StageChange[]): string {
  const heading = `### Values: ${from} → ${to}`;
  if (changes.length === 0) return `${heading}\n\nNo value differs.\n`;
  const regional = changes.some((c) => c.regions !== undefined);
  const rows = changes.map((c) => [
    code(c.path),
    code(formatValue(c.from)),
    code(formatValue(c.to)),
    ...(regional ? [c.regions === undefined ? "all" : cell(c.regions.join(", "))] : []),
  ]);
  return `${heading}\n\n${markdownTable(["Value", from, to, ...(regional ? [`${to} regions`] : [])], rows)}\n`;
}

/** What a release of a stage changes against what its stacks run. */
export function stageValueDiffMarkdown(summary: StageValueDiff): string {
  const lines = [`### ${summary.stage}: values a release changes`, ""];
  if (summary.changes.length > 0) {
    const rows = summary.changes.map((c) => [code(c.path), code(formatValue(c.from)), code(formatValue(c.to)), cell(c.regions.join(", "))]);
    lines.push(markdownTable(["Value", "Deployed", "envs/", "Regions"], rows), "");
  }
  if (summary.neverReleased.length > 0) lines.push(`Never released (a release deploys every value): ${summary.neverReleased.join(", ")}`, "");
  if (summary.unchanged.length > 0) lines.push(`No change: ${summary.unchanged.join(", ")}`, "");
  return lines.join("\n");
}
