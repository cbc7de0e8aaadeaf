import type { Diagnostic } from "../errors";
import { red, yellow } from "./style";

/** `path:line:col: error|warning: message`, the form editors and CI annotators parse. */
export function formatDiagnostic(d: Diagnostic, stream: NodeJS.WriteStream = process.stderr): string {
  const severity = d.severity === "error" ? red("error", stream) : yellow("warning", stream);
  const position = d.line > 0 ? `:${d.line}:${d.col}` : "";
  return `${d.file}${position}: ${severity}: ${d.message}`;
}

export function countBySeverity(diagnostics: Diagnostic[]): { errors: number; warnings: number } {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  return { errors, warnings: diagnostics.length - errors };
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}
