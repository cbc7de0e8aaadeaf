/**
 * One resource the infra program declared, as recorded by running it under mocks:
 * what `dcp validate` evaluates the policy pack on, with no engine and no cloud.
 */
export interface RecordedResource {
  /** Pulumi type token, e.g. `aws:appconfig/environment:Environment`. */
  type: string;
  name: string;
  urn: string;
  /** The inputs as the program declared them, outputs resolved. */
  inputs: Record<string, unknown>;
  /** URN of the explicit provider the resource was declared with, if any. */
  provider?: string;
  /** URN of the parent component, if any. */
  parent?: string;
  /** URNs this resource explicitly depends on. */
  dependsOn: string[];
  /** Set when deleting the resource from the stack leaves it in the cloud. */
  retainOnDelete?: boolean;
  /** Input properties the engine never diffs once the resource exists. */
  ignoreChanges?: string[];
}

export interface RecordedStack {
  stack: string;
  resources: RecordedResource[];
  outputs: Record<string, unknown>;
}
