/**
 * The one place where the Automation API's errors become dcp's domain errors. A raw
 * CommandError (whose message is the whole `code/stdout/stderr` dump) never reaches
 * the user.
 */
import { DcpError, DeploymentError, StackLockedError } from "../errors";
import { setupProblem } from "./setup-errors";

/**
 * The SDK's CommandError subclasses set `name` (ConcurrentUpdateError, StackNotFoundError …),
 * so matching on it needs no SDK module loaded and works for every copy of the SDK.
 */
export function isStackNotFound(error: unknown): boolean {
  return error instanceof Error && error.name === "StackNotFoundError";
}

export function isConcurrentUpdate(error: unknown): boolean {
  return error instanceof Error && error.name === "ConcurrentUpdateError";
}

const MAX_DETAIL_LINES = 20;

/**
 * @param diagnostics error messages the engine reported as events during the operation:
 * they name the failing resource, where stderr usually only says "update failed".
 */
export function toDomainError(stack: string, operation: string, error: unknown, diagnostics: string[] = []): DcpError {
  if (error instanceof DcpError) return error;
  if (isConcurrentUpdate(error)) return new StackLockedError(stack);
  const setup = setupProblem([...diagnostics, engineMessage(error)].join("\n"));
  if (setup) {
    setup.cause = error;
    return setup;
  }
  const detail = diagnostics.length > 0 ? diagnostics.join("\n") : engineMessage(error);
  const mapped = new DeploymentError(`${operation} of stack ${stack} failed: ${detail}`);
  mapped.cause = error;
  return mapped;
}

/** What the engine said: stderr of the failed command, trimmed, else the error's own message. */
export function engineMessage(error: unknown): string {
  const stderr = stderrOf(error);
  const text = stderr !== undefined && stderr.trim() !== "" ? stderr : error instanceof Error ? error.message : String(error);
  const lines = stripAnsi(text)
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line) => line !== "");
  const kept = lines.slice(0, MAX_DETAIL_LINES);
  if (lines.length > kept.length) kept.push(`… (${lines.length - kept.length} more lines)`);
  return kept.join("\n");
}

function stderrOf(error: unknown): string | undefined {
  // `commandResult` is private in the SDK's typings but it is where the CLI's stderr is kept.
  const result = (error as { commandResult?: { stderr?: unknown } } | null)?.commandResult;
  return typeof result?.stderr === "string" ? result.stderr : undefined;
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, "");
}
