/**
 * Reads what dcp needs out of the engine's event stream: policy violations (from the
 * events, never from parsing text), error diagnostics for messages, drifted resources
 * during a refresh preview, and short progress lines.
 */
import type { EngineEvent, PolicyEvent, StepEventMetadata } from "@pulumi/pulumi/automation";
import type { DriftedResource, EnforcementLevel, PolicyViolation, PropertyChange } from "../pipeline/ports";

/**
 * The SDK types `enforcementLevel` as "warning" | "mandatory", but the engine sends
 * "advisory", "mandatory", "remediate" and "disabled"; "warning" is the old name of advisory.
 */
export function enforcementLevel(raw: string): EnforcementLevel {
  switch (raw) {
    case "warning":
    case "advisory":
      return "advisory";
    // Stryker disable next-line StringLiteral: without this label "mandatory" reaches the default, which answers "mandatory" too
    case "mandatory":
    case "remediate":
    case "disabled":
      return raw;
    default:
      // A level this version of dcp does not know must not let a release through.
      return "mandatory";
  }
}

export function toViolation(stack: string, event: PolicyEvent): PolicyViolation {
  const violation: PolicyViolation = {
    stack,
    policy: event.policyName,
    level: enforcementLevel(event.enforcementLevel as string),
    message: event.message.trim(),
  };
  if (event.resourceUrn) violation.resource = event.resourceUrn;
  return violation;
}

/** Operations that, in a refresh, mean the live resource no longer matches the state. */
const DRIFT_OPS = new Set(["update", "delete", "replace", "create-replacement", "delete-replaced", "read-replacement"]);

export class EventCollector {
  readonly violations: PolicyViolation[] = [];
  readonly errors: string[] = [];
  private readonly drift = new Map<string, DriftedResource>();

  constructor(
    private readonly stack: string,
    private readonly onProgress?: (message: string) => void,
    /** Receives every event as well, for logs. */
    private readonly forward?: (event: EngineEvent) => void,
  ) {}

  /** Bound so it can be handed to the SDK as `onEvent` directly. */
  readonly handle = (event: EngineEvent): void => {
    this.forward?.(event);
    if (event.policyEvent) {
      const violation = toViolation(this.stack, event.policyEvent);
      this.violations.push(violation);
      this.onProgress?.(`policy ${violation.policy} (${violation.level}): ${violation.message}`);
    }
    const diagnostic = event.diagnosticEvent;
    if (diagnostic?.severity === "error" && !diagnostic.ephemeral) {
      const where = diagnostic.urn ? `${resourceName(diagnostic.urn)}: ` : "";
      this.errors.push(`${where}${diagnostic.message.trim()}`);
    }
    const pre = event.resourcePreEvent;
    if (pre) {
      this.noteDrift(pre.metadata);
      if (!pre.planning && pre.metadata.op !== "same") {
        this.onProgress?.(`${pre.metadata.op} ${pre.metadata.type} ${resourceName(pre.metadata.urn)}`);
      }
    }
    if (event.resOutputsEvent) this.noteDrift(event.resOutputsEvent.metadata);
    if (event.resOpFailedEvent) {
      this.onProgress?.(`failed ${event.resOpFailedEvent.metadata.type} ${resourceName(event.resOpFailedEvent.metadata.urn)}`);
    }
  };

  get mandatory(): PolicyViolation[] {
    return this.violations.filter((violation) => violation.level === "mandatory");
  }

  drifted(): DriftedResource[] {
    return [...this.drift.values()];
  }

  private noteDrift(metadata: StepEventMetadata): void {
    if (metadata.type === "pulumi:pulumi:Stack" || metadata.type.startsWith("pulumi:providers:")) return;
    const properties = new Set([...(metadata.diffs ?? []), ...Object.keys(metadata.detailedDiff ?? {})]);
    if (!DRIFT_OPS.has(metadata.op) && properties.size === 0) return;
    const known = this.drift.get(metadata.urn);
    for (const property of known?.properties ?? []) properties.add(property);
    const diffs = new Map((known?.diffs ?? []).map((d) => [d.property, d]));
    for (const property of properties) {
      const change = propertyChange(metadata, property);
      if (change !== undefined) diffs.set(property, change);
    }
    const resource: DriftedResource = { urn: metadata.urn, type: metadata.type, properties: [...properties].sort() };
    if (diffs.size > 0) resource.diffs = [...diffs.values()].sort((a, b) => a.property.localeCompare(b.property));
    this.drift.set(metadata.urn, resource);
  }
}

/**
 * In a refresh step, `old` is the state the last update recorded and `new` what the
 * provider read live: their outputs give both values, which the core needs to tell
 * real drift from fields AWS injects. Undefined when the step carries neither state.
 */
function propertyChange(metadata: StepEventMetadata, property: string): PropertyChange | undefined {
  if (metadata.old === undefined && metadata.new === undefined) return undefined;
  const change: PropertyChange = { property };
  const before = valueAt(metadata.old?.outputs, property);
  const after = valueAt(metadata.new?.outputs, property);
  if (before !== undefined) change.old = before;
  if (after !== undefined) change.new = after;
  return change;
}

/** `a.b[0].c` in an object of outputs; the engine names nested properties this way in detailed diffs. */
function valueAt(outputs: Record<string, unknown> | undefined, path: string): unknown {
  let value: unknown = outputs;
  for (const key of path.split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== "")) {
    value = revealed(value);
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return revealed(value);
}

/** The signature key the engine marks a secret value with (sdk/go/common/resource/sig). */
const SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d";

/**
 * A secret's plaintext when the event carries it, undefined when the engine blinded it:
 * without --show-secrets (which `refresh` lacks) every secret reaches the event stream as
 * `{"4dabf…": "1b47…", "ciphertext": "[secret]"}` (pkg/engine/events.go filterPropertyValue),
 * on both sides of the step, so it says nothing about either value. A change the core
 * cannot see is drift to it; values that are not secrets pass through.
 */
function revealed(value: unknown): unknown {
  if (value === null || typeof value !== "object" || !(SECRET_SIGNATURE in value)) return value;
  return "plaintext" in value ? (value as { plaintext: unknown }).plaintext : undefined;
}

/** `urn:pulumi:stack::project::type::name` → name. */
function resourceName(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2) || urn;
}
