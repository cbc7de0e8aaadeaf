/**
 * A resolved StackConfig as the values a person reads and changes: one dotted path per
 * value (`flags.one-page-checkout.rolloutPercent`, `config.checkout.logLevel`,
 * `alarms.checkout-5xx.threshold`, `rollout.durationMinutes`). Where the stack is
 * (stage, region, account, role) is not a value of it: two stages always differ there.
 * Lists are one value each: their elements have no names to put in a path.
 */
import type { StackConfig } from "../../infra/stack-config";

/** Path → value, in the order a reader expects: flags, config, alarms, rollout. */
export type ValuePaths = Map<string, unknown>;

export function valuePaths(config: StackConfig): ValuePaths {
  const paths: ValuePaths = new Map();
  for (const [key, { value }] of Object.entries(config.flags)) {
    for (const [name, v] of Object.entries(value)) paths.set(`flags.${key}.${name}`, v);
  }
  for (const [name, component] of Object.entries(config.components)) flatten(`config.${name}`, component.config, paths);
  for (const { name, ...alarm } of config.alarms) flatten(`alarms.${name}`, alarm, paths);
  flatten("rollout", config.rollout, paths);
  return paths;
}

function flatten(prefix: string, value: unknown, paths: ValuePaths): void {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    paths.set(prefix, value);
    return;
  }
  for (const [key, v] of Object.entries(value)) flatten(`${prefix}.${key}`, v, paths);
}
