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

/**
 * The machine is not set up to reach what dcp drives: the state backend (login, network),
 * the stacks' secrets (passphrase) or AWS (credentials). Found before anything is
 * deployed, and fixed by setting something, not by a rollback: exit 1, naming what to set.
 */
export class SetupError extends DcpError {
  readonly exitCode = ExitCode.usage;
  constructor(
    readonly problem: "backend-login" | "backend-unreachable" | "backend-local" | "passphrase" | "aws-credentials",
    message: string,
  ) {
    super(message);
  }
}

/** What to do about AWS credentials, wherever dcp finds them missing or expired. */
export const AWS_CREDENTIALS_ADVICE =
  "AWS credentials are missing, invalid or expired: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (with AWS_SESSION_TOKEN for temporary ones), " +
  "or AWS_PROFILE, to credentials that may assume the stages' deploy roles, and renew them if they expired";

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

export class InterruptedError extends DcpError {
  readonly exitCode = ExitCode.interrupted;
}

export function exitCodeOf(error: unknown): ExitCode | undefined {
  return error instanceof DcpError ? error.exitCode : undefined;
}
