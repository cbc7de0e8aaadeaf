import { ExitCode, exitCodeOf } from "../errors";
import { messageOf } from "./concurrency";
import type { Reporter } from "./ports";

/**
 * Run one top-level pipeline operation and emit `finished` with the exit code the
 * entry point will use, so that an NDJSON consumer always gets a last line.
 */
export async function reportingFinish<T>(reporter: Reporter, work: () => Promise<T>): Promise<T> {
  try {
    const result = await work();
    reporter.emit({ type: "finished", exitCode: ExitCode.ok });
    return result;
  } catch (error) {
    reporter.emit({ type: "finished", exitCode: exitCodeOf(error) ?? ExitCode.usage, message: messageOf(error) });
    throw error;
  }
}
