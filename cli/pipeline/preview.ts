/**
 * The policy gate of a wave: preview every stack with the policy pack before any of
 * them changes. Mandatory violations stop the wave; advisory ones are warnings.
 */
import type { StackConfig } from "../../infra/stack-config";
import { DeploymentError, PolicyViolationError, SetupError, StackLockedError } from "../errors";
import { messageOf, rejections, settleBounded } from "./concurrency";
import type { PipelinePorts, PolicyPackConfig, PolicyViolation, PreviewResult, StackRef } from "./ports";

export interface PreviewItem {
  stack: StackRef;
  config: StackConfig;
}

export interface PreviewOptions {
  parallel: number;
  policyConfig: PolicyPackConfig;
  cancelling?: AbortSignal;
}

/** Every violation worth showing; `disabled` policies are the engine's business only. */
export async function previewWave(
  items: PreviewItem[],
  options: PreviewOptions,
  ports: Pick<PipelinePorts, "engine" | "reporter">,
): Promise<PolicyViolation[]> {
  const { engine, reporter } = ports;
  const results = await settleBounded(items, options.parallel, async ({ stack, config }): Promise<PreviewResult> => {
    reporter.emit({ type: "stack-previewing", stack: stack.name, releaseId: config.metadata?.releaseId ?? "" });
    const result = await engine.preview(stack, config, { policyConfig: options.policyConfig, signal: options.cancelling });
    const shown = result.violations.filter((v) => v.level !== "disabled");
    reporter.emit({ type: "preview-done", stack: stack.name, changes: result.changes, violations: shown.length });
    for (const violation of shown) reporter.emit({ type: "policy-violation", violation });
    return { ...result, violations: shown };
  });
  const failures = rejections(results);
  if (failures.length > 0) throw previewFailure(failures);
  // Every preview succeeded: a rejection threw above.
  return results.flatMap((r) => (r as PromiseFulfilledResult<PreviewResult>).value.violations);
}

export function isBlocking(violation: PolicyViolation): boolean {
  return violation.level === "mandatory";
}

export function policyViolationError(where: string, violations: PolicyViolation[]): PolicyViolationError {
  const blocking = violations.filter(isBlocking);
  const lines = blocking.map((v) => `  ${v.stack}: [${v.policy}] ${v.message}${v.resource !== undefined ? ` (${v.resource})` : ""}`);
  return new PolicyViolationError(
    [`${blocking.length} mandatory policy violation${blocking.length === 1 ? "" : "s"} in ${where}; nothing in it was deployed:`, ...lines].join("\n"),
  );
}

/** A lock stays a lock and a setup problem stays one (their messages say what to do); anything else is a failed deployment. */
function previewFailure(failures: unknown[]): Error {
  const [first] = failures;
  if (failures.length === 1 && first instanceof StackLockedError) return first;
  const setup = failures.find((failure) => failure instanceof SetupError);
  if (setup) return setup;
  return new DeploymentError(`preview failed, nothing in the wave was deployed:\n${failures.map((f) => `  ${messageOf(f)}`).join("\n")}`);
}
