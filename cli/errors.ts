/**
 * The domain errors dcp raises, and the one table that maps them to exit codes.
 * Only the entry point turns an error into an exit code; everything else throws
 * or returns these.
 */

export const ExitCode = {
  ok: 0,
  usage: 1,
  policyViolation: 2,
  deploymentFailed: 3,
  bakeFailed: 4,
  rollbackFailed: 5,
  drift: 6,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  severity: "error" | "warning";
  message: string;
}

export abstract class DcpError extends Error {
  abstract readonly exitCode: ExitCode;
}

/** Bad usage or invalid configuration: every problem found, with file and position. */
export class ConfigError extends DcpError {
  readonly exitCode = ExitCode.usage;
  constructor(
    message: string,
    readonly diagnostics: Diagnostic[] = [],
  ) {
    super(message);
  }
}

export class UsageError extends DcpError {
  readonly exitCode = ExitCode.usage;
}

export class PolicyViolationError extends DcpError {
  readonly exitCode = ExitCode.policyViolation;
}

export class DeploymentError extends DcpError {
  readonly exitCode = ExitCode.deploymentFailed;
}

export class BakeFailedError extends DcpError {
  readonly exitCode = ExitCode.bakeFailed;
}

export class RollbackError extends DcpError {
  readonly exitCode = ExitCode.rollbackFailed;
}

/** Another update holds the stack's lock. */
export class StackLockedError extends DcpError {
  readonly exitCode = ExitCode.deploymentFailed;
  constructor(readonly stackName: string) {
    super(
      `stack ${stackName} is locked by another update; wait for it to finish, or if it died, run \`pulumi cancel --stack ${stackName}\``,
    );
  }
}

/** Another run holds the stage's lease: the message names it and how to break a dead one's. */
export class StageLeasedError extends DcpError {
  readonly exitCode = ExitCode.usage;
}

/** Another run took this run's stage lease over (a rollback in an incident) or broke it: this run stopped. */
export class LeaseLostError extends DcpError {
  readonly exitCode = ExitCode.interrupted;
}

export class DriftFoundError extends DcpError {
  readonly exitCode = ExitCode.drift;
}

export class InterruptedError extends DcpError {
  readonly exitCode = ExitCode.interrupted;
}

export function exitCodeOf(error: unknown): ExitCode | undefined {
  return error instanceof DcpError ? error.exitCode : undefined;
}
