import { secretSpans, type Span } from "./secret-patterns";

export const REDACTED = "[redacted]";

/** Shorter known values would redact ordinary words that happen to equal them. */
const KNOWN_MIN_LENGTH = 6;

/**
 * `text` with every secret-looking part replaced by [redacted]: the shapes the scanner
 * knows, and each of the `known` secret values wherever it appears (a passphrase has no
 * shape of its own). For output that leaves the process: reports, logs, the terminal.
 */
export function redactSecrets(text: string, known: readonly string[]): string {
  const spans = secretSpans(text);
  for (const value of known.filter((v) => v.length >= KNOWN_MIN_LENGTH)) {
    for (let at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + value.length)) spans.push([at, at + value.length]);
  }
  let redacted = "";
  let from = 0;
  for (const [start, end] of merged(spans)) {
    redacted += text.slice(from, start) + REDACTED;
    from = end;
  }
  return redacted + text.slice(from);
}

/** Overlapping and touching ranges joined, in order. */
function merged(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  const out: Span[] = [];
  for (const [start, end] of sorted) {
    const last = out.at(-1);
    if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}
