/**
 * AWS throttles DescribeAlarms and GetDeployment when many stacks bake at once. A
 * throttled read is retried with exponential backoff on the injected clock; any other
 * failure is returned at once, for the grace period to judge.
 */
import type { Clock } from "../pipeline/ports";

const THROTTLING_CODES = new Set([
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
]);

export function isThrottling(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const details = error as Error & { $retryable?: { throttling?: boolean }; $metadata?: { httpStatusCode?: number } };
  return THROTTLING_CODES.has(error.name) || details.$retryable?.throttling === true || details.$metadata?.httpStatusCode === 429;
}

export interface Backoff {
  attempts: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { attempts: 5, firstDelayMs: 250, maxDelayMs: 4_000 };

export async function retryThrottled<T>(
  read: () => Promise<T>,
  clock: Clock,
  signal?: AbortSignal,
  backoff: Backoff = DEFAULT_BACKOFF,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await read();
    } catch (error) {
      if (!isThrottling(error) || attempt >= backoff.attempts) throw error;
      await clock.sleep(Math.min(backoff.firstDelayMs * 2 ** (attempt - 1), backoff.maxDelayMs), signal);
    }
  }
}
