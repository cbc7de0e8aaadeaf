import { readFile } from "node:fs/promises";
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, visit, type Document, type Node } from "yaml";
import type { Diagnostic } from "../errors";

/**
 * A configuration file kept with its YAML syntax tree, so that any value found
 * wrong later (by a schema, a cross-file rule or the secrets scan) can be reported
 * at its own line and column.
 */
export interface SourceFile {
  /** Path as shown to the user (relative to the working directory). */
  path: string;
  doc: Document.Parsed;
  lines: LineCounter;
  data: unknown;
}

export type JsonPath = ReadonlyArray<string | number>;

/** More aliases than any honest configuration needs; a bound against billion-laughs documents. */
export const MAX_ALIASES = 100;

export interface Parsed {
  source?: SourceFile;
  diagnostics: Diagnostic[];
}

export async function readYamlFile(absolutePath: string, shownPath: string): Promise<Parsed> {
  let text: string;
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- a file of the envs directory the operator named with --envs
    text = await readFile(absolutePath, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : `cannot read file (${(error as Error).message})`;
    return { diagnostics: [problem(shownPath, 1, 1, reason)] };
  }
  return parseYaml(text, shownPath);
}

export function parseYaml(text: string, path: string): Parsed {
  const lines = new LineCounter();
  // yaml's own uniqueKeys check is quadratic in the size of a mapping; a flag
  // catalogue of thousands of keys is checked in linear time below instead.
  // Merge keys (`<<: *defaults`) are how YAML users share values between alarms or waves.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: false, merge: true });
  // One tab in the indentation makes yaml report every line after it: say the one thing to fix.
  const tab = doc.errors.find((e) => e.code === "TAB_AS_INDENT");
  if (tab !== undefined) return { diagnostics: [tabIndentation(text, path, tab.linePos?.[0] ?? { line: 1, col: 1 })] };
  const syntax = doc.errors.map((e) => {
    const at = e.linePos?.[0] ?? { line: 1, col: 1 };
    return problem(path, at.line, at.col, yamlMessage(e.message));
  });
  if (syntax.length === 0) syntax.push(...duplicateKeys(doc, lines, path));
  if (syntax.length > 0) return { diagnostics: syntax };
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    return { diagnostics: [problem(path, 1, 1, "file is empty; expected a mapping of keys to values")] };
  }
  let data: unknown;
  try {
    // Stryker disable next-line ObjectLiteral: yaml's own default bound is also 100; dcp names it so that a new yaml default cannot loosen it
    data = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    const at = firstAlias(doc, lines) ?? { line: 1, col: 1 };
    const reason = /alias count/i.test((error as Error).message)
      ? `too many YAML alias expansions (more than ${MAX_ALIASES}); this looks like a resource-exhaustion document`
      : `invalid YAML: ${(error as Error).message}`;
    return { diagnostics: [problem(path, at.line, at.col, reason)] };
  }
  return { source: { path, doc, lines, data }, diagnostics: [] };
}

function tabIndentation(text: string, path: string, first: { line: number; col: number }): Diagnostic {
  const tabbed = text.split("\n").filter((line) => /^ *\t/.test(line)).length;
  const others = tabbed > 1 ? ` (${tabbed} lines are)` : "";
  return problem(path, first.line, first.col, `indented with a tab${others}: YAML indentation must be spaces; replace the tabs with spaces`);
}

function yamlMessage(message: string): string {
  return `invalid YAML: ${message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? message}`;
}

function duplicateKeys(doc: Document.Parsed, lines: LineCounter, path: string): Diagnostic[] {
  const found: Diagnostic[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        if (seen.has(key)) {
          const at = lines.linePos(pair.key.range?.[0] ?? 0);
          found.push(problem(path, at.line, at.col, `duplicate key "${key}": a key may appear only once in a mapping`));
        }
        seen.add(key);
      }
    },
  });
  return found;
}

function firstAlias(doc: Document.Parsed, lines: LineCounter): { line: number; col: number } | undefined {
  let found: { line: number; col: number } | undefined;
  visit(doc, {
    Alias(_, node) {
      if (node.range) found = lines.linePos(node.range[0]);
      return visit.BREAK;
    },
  });
  return found;
}

/** Where a value (or, with `key`, its key) sits in the file; the nearest enclosing node when the path does not exist. */
export function positionOf(source: SourceFile, path: JsonPath, options: { key?: boolean } = {}): { line: number; col: number } {
  let node: unknown = source.doc.contents;
  let keyNode: Node | undefined;
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(source.doc);
    const next = childOf(node, segment);
    if (next === undefined) break;
    node = next.value;
    keyNode = next.key;
  }
  const target = options.key && keyNode ? keyNode : (node as Node | null);
  const offset = target?.range?.[0] ?? keyNode?.range?.[0] ?? 0;
  return source.lines.linePos(offset);
}

function childOf(node: unknown, segment: string | number): { key?: Node; value: unknown } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
    return pair ? { key: pair.key as Node, value: pair.value ?? pair.key } : undefined;
  }
  if (isSeq(node) && typeof segment === "number") {
    const item = node.items[segment];
    return item === undefined ? undefined : { value: item };
  }
  return undefined;
}

export function problem(file: string, line: number, col: number, message: string, severity: Diagnostic["severity"] = "error"): Diagnostic {
  return { file, line, col, severity, message };
}
