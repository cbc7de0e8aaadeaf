/**
 * What a hosted configuration version carries: a component's operational config or the
 * feature-flag document. Policies see only the resource, so the component is found from
 * the resource name (the program names each version after its component), and the
 * flag document by its shape.
 */

export type HostedContent =
  | { kind: "feature-flags"; document: Record<string, unknown> }
  | { kind: "component"; component: string | undefined; config: unknown }
  | { kind: "not-json"; error: string }
  | { kind: "other" };

/** The component a resource name refers to: the longest component name found as whole words of it. */
export function componentNamed(resourceName: string, components: string[]): string | undefined {
  const words = `-${resourceName.replace(/[^A-Za-z0-9]+/g, "-")}-`;
  return components
    .filter((component) => words.includes(`-${component.replace(/[^A-Za-z0-9]+/g, "-")}-`))
    .sort((a, b) => b.length - a.length)[0];
}

export function isFlagDocument(value: Record<string, unknown>): boolean {
  return "flags" in value && "values" in value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function classifyContent(
  resourceName: string,
  contentType: string | undefined,
  content: unknown,
  components: string[],
): HostedContent {
  if (typeof content !== "string" || (contentType !== undefined && !/json/i.test(contentType))) return { kind: "other" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (error) {
    return { kind: "not-json", error: (error as Error).message };
  }
  const component = componentNamed(resourceName, components);
  if (component === undefined && isRecord(parsed) && isFlagDocument(parsed)) return { kind: "feature-flags", document: parsed };
  return { kind: "component", component, config: parsed };
}

/** The value at a dotted path ("throttling.burst"), or undefined. */
export function valueAt(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split(".")) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}
