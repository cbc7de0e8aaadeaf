import type { FlagCell, FlagMatrix } from "../flags/matrix";
import { FLAG_MARKS } from "../flags/marks";
import { plural } from "./diagnostics";
import { deployedText, flagValueText, MARK_LABELS } from "./flag-values-text";
import { renderTable } from "./table";

/** The flag matrix for a terminal: one line per flag, one column per stage, then a count of each mark. */
export function renderFlagMatrix(matrix: FlagMatrix): string {
  const header = ["FLAG", "OWNER", ...matrix.stages.map((s) => s.toUpperCase()), "EXPIRES", "MARKS"];
  const rows = matrix.flags.map((flag) => [
    flag.key,
    flag.owner,
    ...matrix.stages.map((stage) => stageText(flag.cells.filter((c) => c.stage === stage))),
    flag.expires ?? "",
    flag.marks.map((m) => MARK_LABELS[m]).join(", "),
  ]);
  const counts = FLAG_MARKS.map((mark) => `${MARK_LABELS[mark]} ${matrix.flags.filter((f) => f.marks.includes(mark)).length}`);
  const judged = `judged on ${matrix.today}; removal candidates: on with one value everywhere for ${plural(matrix.staleDays, "day")}`;
  return [renderTable(header, rows), "", `${plural(matrix.flags.length, "flag")}; marked ${counts.join(", ")} (${judged})`].join("\n");
}

/** One stage's value; where its regions differ, each group with its regions. */
function stageText(cells: FlagCell[]): string {
  const text = (cell: FlagCell) => {
    const live = deployedText(cell);
    return `${flagValueText(cell.wanted)}${live ? ` (${live})` : ""}`;
  };
  if (cells.length === 1) return text(cells[0]!);
  return cells.map((cell) => `${cell.regions.join(",")}: ${text(cell)}`).join(" | ");
}
