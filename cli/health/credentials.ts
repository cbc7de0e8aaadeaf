/**
 * Tells AWS's credential failures apart from other failed reads. An expired session is
 * renewed and the read retried (a prod bake outlives a one-hour role session); missing
 * or still-expired credentials after that are a setup problem, not an unhealthy stack.
 */
import { AWS_CREDENTIALS_ADVICE, SetupError } from "../errors";

/**
 * What AWS answers a request signed with an expired session (STS, CloudWatch: ExpiredToken;
 * AppConfig and other JSON services: ExpiredTokenException).
 */
const EXPIRED_CODES = new Set(["ExpiredToken", "ExpiredTokenException"]);

export function isExpiredCredentials(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return EXPIRED_CODES.has(error.name) || /security token included in the request is expired/i.test(error.message);
}

/** The SDK's default provider chain found nothing (@smithy/property-provider's CredentialsProviderError). */
export function isMissingCredentials(error: unknown): boolean {
  return error instanceof Error && error.name === "CredentialsProviderError";
}

/** A SetupError (exit 1) for a credentials failure; anything else unchanged. */
export function asSetupProblem(error: unknown): unknown {
  if (!isExpiredCredentials(error) && !isMissingCredentials(error)) return error;
  const setup = new SetupError("aws-credentials", `${AWS_CREDENTIALS_ADVICE}. AWS said: ${(error as Error).message}`);
  setup.cause = error;
  return setup;
}
