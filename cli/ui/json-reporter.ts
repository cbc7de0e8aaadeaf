import type { PipelineEvent } from "../pipeline/events";
import type { Reporter } from "../pipeline/ports";
import { redactAll } from "../redact";

/**
 * One JSON object per line, for CI and other programs (--json, or no TTY): the
 * pipeline's events as they are, secrets redacted, with the time each was seen.
 */
export class JsonLinesReporter implements Reporter {
  constructor(
    private readonly out: NodeJS.WritableStream = process.stdout,
    private readonly now: () => Date = () => new Date(),
  ) {}

  emit(event: PipelineEvent): void {
    this.out.write(`${JSON.stringify({ time: this.now().toISOString(), ...redactAll(event) })}\n`);
  }
}
