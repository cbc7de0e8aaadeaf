import type { PolicyConfigSchema } from "@pulumi/policy";

interface ConfigSource {
  getConfig<T extends object>(): T;
}

/**
 * The policy's config with its schema's defaults filled in. The Pulumi CLI fills them
 * in before a preview, but a policy must not depend on every caller doing so (tests,
 * offline evaluation, older CLIs): one place, so every policy reads config the same way.
 */
export function configOf<T extends object>(schema: PolicyConfigSchema, args: ConfigSource): T {
  const given: Record<string, unknown> = args.getConfig<Record<string, unknown>>();
  const config: Record<string, unknown> = { ...given };
  for (const [key, property] of Object.entries(schema.properties)) {
    if (config[key] === undefined && property.default !== undefined) config[key] = structuredClone(property.default);
  }
  return config as T;
}
