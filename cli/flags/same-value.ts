import type { FlagValue } from "../../infra/stack-config";

/**
 * Equal flag values. A value holds scalars and lists of scalars only (its schema), so a
 * shallow walk answers; a stage's stacks share their stage-wide objects, so identity
 * answers most. The matrix compares millions of these on a large configuration.
 */
export function sameFlagValue(a: FlagValue | null | undefined, b: FlagValue | null | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => {
    const x = a[key];
    const y = b[key];
    if (x === y) return true;
    return Array.isArray(x) && Array.isArray(y) && x.length === y.length && x.every((element, i) => element === y[i]);
  });
}
