/**
 * The flag matrix as one self-contained HTML page: styles and script inline, nothing
 * fetched, so it can be attached to a CI run or mailed and opened anywhere. Rows carry
 * their owner and marks as data attributes; the script only hides and shows rows.
 */
import type { FlagCell, FlagMatrix, FlagRow } from "../flags/matrix";
import { FLAG_MARKS } from "../flags/marks";
import { deployedText, flagValueText, MARK_LABELS } from "./flag-values-text";

export function renderFlagMatrixHtml(matrix: FlagMatrix, title: string): string {
  const owners = [...new Set(matrix.flags.map((f) => f.owner))].sort();
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escape(title)}</h1>
<p class="summary">${matrix.flags.length} flags × ${matrix.stages.length} stages, judged on ${escape(matrix.today)}. Removal candidates: on with one value on every stack of every stage for ${matrix.staleDays} days or more.${matrix.deployed ? " Where the stacks run something other than envs/ wants, the live value is shown below it." : ""}</p>
<form id="filters">
<label>Owner <select id="owner"><option value="">every owner</option>${owners.map((o) => `<option value="${escape(o)}">${escape(o)}</option>`).join("")}</select></label>
<label>Mark <select id="mark"><option value="">any or none</option>${FLAG_MARKS.map((m) => `<option value="${m}">${MARK_LABELS[m]} (${matrix.flags.filter((f) => f.marks.includes(m)).length})</option>`).join("")}</select></label>
<output id="shown">${matrix.flags.length} of ${matrix.flags.length} flags shown</output>
</form>
<table>
<thead><tr><th>Flag</th><th>Owner</th>${matrix.stages.map((s) => `<th>${escape(s)}</th>`).join("")}<th>Expires</th><th>Marks</th></tr></thead>
<tbody>
${matrix.flags.map((flag) => rowHtml(flag, matrix.stages)).join("\n")}
</tbody>
</table>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

function rowHtml(flag: FlagRow, stages: string[]): string {
  const marks = flag.marks
    .map((m) => `<span class="mark ${m}"${m === "removal-candidate" && flag.unchangedSince ? ` title="unchanged since ${escape(flag.unchangedSince.slice(0, 10))}"` : ""}>${MARK_LABELS[m]}</span>`)
    .join(" ");
  const name = `<strong>${escape(flag.key)}</strong>${flag.name ? ` <span class="aka">(${escape(flag.name)})</span>` : ""}<div class="description">${escape(flag.description)}</div>`;
  return `<tr data-flag="${escape(flag.key)}" data-owner="${escape(flag.owner)}" data-marks="${flag.marks.join(" ")}"><td>${name}</td><td class="nowrap">${escape(flag.owner)}</td>${stages
    .map((stage) => `<td>${flag.cells.filter((c) => c.stage === stage).map(cellHtml).join("")}</td>`)
    .join("")}<td class="nowrap">${escape(flag.expires ?? "")}</td><td>${marks}</td></tr>`;
}

function cellHtml(cell: FlagCell, _index: number, all: FlagCell[]): string {
  const regions = all.length > 1 ? `<div class="regions">${cell.regions.map(escape).join(", ")}</div>` : "";
  const live = deployedText(cell);
  return `<div class="value ${cell.wanted.enabled ? "on" : "off"}">${regions}${escape(flagValueText(cell.wanted))}${live ? `<div class="live">${escape(live)}</div>` : ""}</div>`;
}

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ENTITIES[c]!);
}

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1b1f24; }
h1 { font-size: 1.3rem; margin: 0 0 .3rem; }
.summary { color: #57606a; margin: 0 0 1rem; }
#filters { display: flex; gap: 1.5rem; align-items: center; margin-bottom: 1rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #d0d7de; padding: .4rem .6rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; position: sticky; top: 0; }
.nowrap { white-space: nowrap; }
.description, .regions, .aka { color: #57606a; font-size: .85em; }
.value { font-family: ui-monospace, monospace; font-size: .9em; }
.value + .value { margin-top: .4rem; }
.value.on::before { content: "● "; color: #1a7f37; }
.value.off::before { content: "○ "; color: #8c959f; }
.live { color: #9a6700; }
.mark { display: inline-block; border-radius: 1em; padding: 0 .6em; font-size: .85em; white-space: nowrap; background: #eaeef2; }
.mark.expired { background: #ffebe9; color: #cf222e; }
.mark.removal-candidate { background: #fff8c5; color: #7d4e00; }
`;

/** Filtering: a row shows when it has the chosen owner (or any) and the chosen mark (or any). */
const SCRIPT = `
(function () {
  var owner = document.getElementById("owner");
  var mark = document.getElementById("mark");
  var shown = document.getElementById("shown");
  var rows = Array.prototype.slice.call(document.querySelectorAll("tbody tr"));
  function apply() {
    var count = 0;
    rows.forEach(function (row) {
      var visible = (!owner.value || row.dataset.owner === owner.value) &&
        (!mark.value || row.dataset.marks.split(" ").indexOf(mark.value) >= 0);
      row.hidden = !visible;
      if (visible) count++;
    });
    shown.textContent = count + " of " + rows.length + " flags shown";
  }
  owner.addEventListener("change", apply);
  mark.addEventListener("change", apply);
  apply();
})();
`;
