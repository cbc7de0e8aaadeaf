/**
 * The checks' runs as JUnit XML, the test report format CI systems display: one
 * testsuite per stack of a wave, one testcase per check with each of its runs in
 * system-out, and a failure element carrying the failed run's detail.
 */
import { mkdir, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { redact } from "../redact";
import type { CheckRun } from "./check-run";

/** Collects runs as they finish, their output redacted; `record` is the monitor's `onRun`. */
export class CheckReport {
  private readonly runs: CheckRun[] = [];

  readonly record = (run: CheckRun): void => {
    this.runs.push({ ...run, detail: redact(run.detail) });
  };

  toJUnit(): string {
    const suites = groupBy(this.runs, (r) => `${r.stage}\u0000${r.wave}\u0000${r.stack}`);
    const cases = (runs: CheckRun[]) => groupBy(runs, (r) => r.check);
    const failedCases = (runs: CheckRun[]) => [...cases(runs).values()].filter((c) => c.some(isFailure)).length;
    const lines = [
      `<?xml version="1.0" encoding="UTF-8"?>`,
      `<testsuites name="dcp verify" tests="${[...suites.values()].reduce((n, runs) => n + cases(runs).size, 0)}" failures="${[...suites.values()].reduce((n, runs) => n + failedCases(runs), 0)}" time="${totalSeconds(this.runs)}">`,
    ];
    for (const runs of suites.values()) {
      const { stage, wave, stack, startedAt } = runs[0] as CheckRun;
      lines.push(
        `  <testsuite name="${escape(`${stack} (${stage} wave ${wave})`)}" tests="${cases(runs).size}" failures="${failedCases(runs)}" errors="0" skipped="0" time="${totalSeconds(runs)}" timestamp="${new Date(startedAt).toISOString()}">`,
      );
      for (const [check, checkRuns] of cases(runs)) lines.push(...testcase(`${stage}.${wave}.${stack}`, check, checkRuns));
      lines.push(`  </testsuite>`);
    }
    lines.push(`</testsuites>`, "");
    return lines.join("\n");
  }

  async write(file: string): Promise<void> {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the --report path the operator named
    await mkdir(path.dirname(path.resolve(file)), { recursive: true });
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the --report path the operator named
    await writeFile(file, this.toJUnit());
  }
}

function testcase(classname: string, check: string, runs: CheckRun[]): string[] {
  const failures = runs.filter(isFailure);
  const out = runs.map((r) => `${new Date(r.startedAt).toISOString()} ${r.outcome} ${r.detail}`).join("\n");
  const lines = [`    <testcase classname="${escape(classname)}" name="${escape(check)}" time="${totalSeconds(runs)}">`];
  const first = failures[0];
  if (first !== undefined) {
    const summary = `${failures.length} of ${runs.length} run(s) failed`;
    lines.push(`      <failure message="${escape(first.detail)}" type="${first.type}">${escape(`${summary}\n${failures.map((f) => f.detail).join("\n")}`)}</failure>`);
  }
  lines.push(`      <system-out>${escape(out)}</system-out>`, `    </testcase>`);
  return lines;
}

const isFailure = (run: CheckRun) => run.outcome === "failed";

function totalSeconds(runs: CheckRun[]): string {
  return (runs.reduce((ms, r) => ms + r.durationMs, 0) / 1000).toFixed(3);
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/**
 * Text and attribute values: the five markup characters as entities, and what XML 1.0
 * cannot carry at all (terminal colour codes and other control characters from a
 * command's output) removed.
 */
export function escape(text: string): string {
  // eslint-disable-next-line no-control-regex -- removing ANSI colour codes is the point
  const plain = text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, "");
  return [...plain]
    .filter(isXmlChar)
    .join("")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** XML 1.0's Char production. */
function isXmlChar(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || code >= 0x10000;
}
