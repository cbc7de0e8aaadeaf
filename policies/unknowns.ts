import { UnknownValueError } from "@pulumi/policy";

/**
 * During a preview, values the cloud assigns (ARNs of resources not created yet) are
 * unknown and reading them throws. A presence check must not fail on those: an ARN
 * that is unknown now will be set by the update.
 */
export function isSetOrUnknown(read: () => unknown): boolean {
  try {
    const value = read();
    return value !== undefined && value !== null && value !== "";
  } catch (error) {
    if (error instanceof UnknownValueError) return true;
    throw error;
  }
}

/** The value, or undefined while it is unknown (a preview of resources not created yet). */
export function knownOrUndefined<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (error instanceof UnknownValueError) return undefined;
    throw error;
  }
}
