// The AWS.AppConfig.FeatureFlags profile type. Its stored document is
// `{ version, flags: {key: definition}, values: {key: {enabled, ...attributes}} }`
// (AppConfig User Guide, "Type reference for AWS.AppConfig.FeatureFlags", which lists the
// service-managed `_createdAt`/`_updatedAt` strings on flag definitions and values).
import { badRequest } from "./errors";

export const FEATURE_FLAGS = "AWS.AppConfig.FeatureFlags";

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parse(content: Buffer): Json {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content.toString("utf8"));
  } catch {
    throw badRequest("Feature flag configuration data must be JSON", { Reason: "InvalidConfiguration" });
  }
  if (!isObject(parsed) || typeof parsed.version !== "string") {
    throw badRequest("Feature flag configuration data needs a string `version`", { Reason: "InvalidConfiguration" });
  }
  return parsed;
}

// Stamps each flag definition and value with `_createdAt`/`_updatedAt`, keeping a flag's
// `_createdAt` from the previous version when the caller sends it back (as the console
// does), and setting `_updatedAt` to now unless the caller kept it.
export function stampFeatureFlags(content: Buffer, now: Date): Buffer {
  const document = parse(content);
  const stamp = (section: unknown): void => {
    if (!isObject(section)) return;
    for (const entry of Object.values(section)) {
      if (!isObject(entry)) continue;
      entry._createdAt ??= now.toISOString();
      entry._updatedAt ??= now.toISOString();
    }
  };
  stamp(document.flags);
  stamp(document.values);
  return Buffer.from(JSON.stringify(document));
}

// What GetLatestConfiguration returns for a feature flag profile: one object per flag,
// `{enabled, ...attribute values}`, with service-managed keys dropped and a disabled flag
// reduced to `{enabled: false}` (User Guide, "Retrieving feature flags").
export function retrievalView(content: Buffer): Buffer {
  const document = parse(content);
  const flags = isObject(document.flags) ? document.flags : {};
  const values = isObject(document.values) ? document.values : {};
  const view: Json = {};
  for (const key of Object.keys(flags)) {
    const value = isObject(values[key]) ? values[key] : {};
    const enabled = value.enabled === true;
    view[key] = enabled
      ? Object.fromEntries(Object.entries(value).filter(([name]) => !name.startsWith("_")))
      : { enabled: false };
  }
  return Buffer.from(JSON.stringify(view));
}
