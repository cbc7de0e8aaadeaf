import type { Diagnostic } from "../errors";
import { positionOf, type JsonPath, type SourceFile } from "./source";

/** Collects every problem found in envs/, each placed at its file, line and column. */
export class Diagnostics {
  readonly all: Diagnostic[] = [];

  add(...diagnostics: Diagnostic[]): void {
    this.all.push(...diagnostics);
  }

  error(source: SourceFile, path: JsonPath, message: string, options: { key?: boolean } = {}): void {
    this.at(source, path, message, "error", options);
  }

  warning(source: SourceFile, path: JsonPath, message: string, options: { key?: boolean } = {}): void {
    this.at(source, path, message, "warning", options);
  }

  get errorCount(): number {
    return this.all.filter((d) => d.severity === "error").length;
  }

  private at(source: SourceFile, path: JsonPath, message: string, severity: Diagnostic["severity"], options: { key?: boolean }): void {
    const { line, col } = positionOf(source, path, options);
    this.all.push({ file: source.path, line, col, severity, message });
  }
}

/** Sorted by file then position, as an editor or CI annotation reader expects. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col);
}
