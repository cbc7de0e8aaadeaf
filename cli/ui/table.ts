/** Rows as aligned columns under a header, for a person at a terminal. */
export function renderTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i] ?? ""))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + " ".repeat((widths[i] ?? 0) - visibleLength(c))))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "─".repeat(w))), ...rows.map(line)].join("\n");
}

/** Colour codes take no room on screen. */
function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex -- matching ANSI colour codes is the point
  return text.replace(/\u001b\[[0-9;]*m/g, "").length;
}
