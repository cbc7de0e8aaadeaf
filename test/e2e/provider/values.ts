import { Struct } from "google-protobuf/google/protobuf/struct_pb";

/** A property value as the engine's Struct encoding carries it (secrets and unknowns are in-band sentinels). */
export type Value = null | boolean | number | string | Value[] | { [key: string]: Value };
export type Props = Record<string, Value>;

/** The engine's in-band marker for a value not known yet (preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The key and value that make an object a secret wrapper (`resource.SecretSig`). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function fromStruct(struct: Struct | undefined): Props {
  return (struct?.toJavaScript() ?? {}) as Props;
}

export function toStruct(props: Props): Struct {
  return Struct.fromJavaScript(stripUndefined(props) as Parameters<typeof Struct.fromJavaScript>[0]);
}

export function secret(value: Value): Value {
  return { [SIG_KEY]: SECRET_SIG, value };
}

function isObject(value: unknown): value is { [key: string]: Value } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isSecret(value: unknown): value is { value: Value } {
  return isObject(value) && value[SIG_KEY] === SECRET_SIG;
}

/** The plain value: the provider talks to AWS in plaintext and decides itself what it returns as secret. */
export function reveal(value: Value): Value {
  if (isSecret(value)) return reveal(value.value ?? null);
  if (Array.isArray(value)) return value.map(reveal);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v)]));
  return value;
}

export function revealProps(props: Props): Props {
  return reveal(props) as Props;
}

export function containsUnknown(value: Value | undefined): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (isObject(value)) return Object.values(value).some(containsUnknown);
  return false;
}

/**
 * Provider inputs from the Node SDK arrive JSON-encoded when they are not strings (the SDK
 * serialises a provider's non-string args), while config from `PULUMI_CONFIG` or a newer SDK is
 * structured: accept both.
 */
export function decodeNested(value: Value | undefined): Value | undefined {
  if (typeof value !== "string") return value;
  const trimmed = value.trim();
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[") && trimmed !== "true" && trimmed !== "false") return value;
  try {
    return JSON.parse(trimmed) as Value;
  } catch {
    return value;
  }
}

/** Struct.fromJavaScript refuses undefined; an absent property and an undefined one mean the same to the engine. */
function stripUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : stripUndefined(item)));
  if (isObject(value)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, stripUndefined(v)]),
    );
  }
  return value;
}

export function asString(value: Value | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function asNumber(value: Value | undefined): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value))) return Number(value);
  return undefined;
}

export function asStringMap(value: Value | undefined): Record<string, string> {
  const decoded = decodeNested(value);
  if (!isObject(decoded)) return {};
  return Object.fromEntries(
    Object.entries(decoded).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
}

export function asObjectList(value: Value | undefined): Props[] {
  const decoded = decodeNested(value);
  return Array.isArray(decoded) ? decoded.filter(isObject) : [];
}
