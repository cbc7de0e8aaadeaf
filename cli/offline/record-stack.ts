import * as pulumi from "@pulumi/pulumi";
import { declareStack, type DeclaredOutputs } from "../../infra/program";
import { stackConfigProblems } from "../../infra/read-stack-config";
import type { StackConfig } from "../../infra/stack-config";
import type { RecordedResource, RecordedStack } from "./recorded-resource";
import { StrictMocks } from "./strict-mocks";

/** The parts of the mock monitor's register request this module reads. */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getObject(): Parameters<typeof pulumi.runtime.deserializeProperties>[0];
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(each: (dependencies: { getUrnsList(): string[] }) => void): void };
  getRetainondelete(): boolean;
  getIgnorechangesList(): string[];
}

interface RecordingMonitor {
  registerResource(request: RegisterRequest, callback: (error: unknown, response?: { getUrn(): string }) => void): unknown;
}

/** The infra program, or in the runner's own tests a smaller one. */
export type Program = (config: StackConfig) => pulumi.Input<Partial<DeclaredOutputs>>;

/** Pulumi's runtime state is global to the process: runs take turns. */
let previousRun: Promise<unknown> = Promise.resolve();

/**
 * Runs the infra program for one stack under strict mocks and records every resource
 * it declares and the stack's outputs: what the infra tests assert on and what
 * `dcp validate` evaluates the policy pack on, with no engine and no cloud.
 */
export function recordStack(config: StackConfig, stack: string, program: Program = declareStack): Promise<RecordedStack> {
  const run = previousRun.then(() => recordOneStack(config, stack, program));
  previousRun = run.catch(() => undefined);
  return run;
}

async function recordOneStack(config: StackConfig, stack: string, program: Program): Promise<RecordedStack> {
  const problems = stackConfigProblems(config);
  if (problems.length > 0) throw new Error(`${stack}: not a valid StackConfig:\n  ${problems.join("\n  ")}`);

  await pulumi.runtime.setMocks(new StrictMocks(config), config.workload, stack);
  const resources: RecordedResource[] = [];
  let failRun: (error: unknown) => void = () => undefined;
  // A resource whose registration failed never resolves its outputs: the run ends on the first failure.
  const failure = new Promise<never>((_, reject) => (failRun = reject));
  failure.catch(() => undefined);
  recordRegistrations(resources, (error) => failRun(error));
  // Pulumi leaves the promises of a failed registration unobserved (its own language host
  // catches them process-wide): during a run, they are that run's failure.
  const onUnhandledRejection = (reason: unknown) => failRun(reason);
  process.on("unhandledRejection", onUnhandledRejection);
  // Pulumi stamps every internal promise with `new Error().stack` for leak reports that
  // mocks never print; with tsx's source maps, rendering those stacks was most of a run.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const outputs = pulumi.output(program(config));
    const resolved = await Promise.race([new Promise<Record<string, unknown>>((resolve) => outputs.apply(resolve)), failure]);
    await Promise.race([waitForRegistrations(), failure]);
    return { stack, resources, outputs: resolved };
  } finally {
    // A run that failed half-way must not leave registrations to land in the next run's record.
    await waitForRegistrations();
    await new Promise((resolve) => setImmediate(resolve));
    process.off("unhandledRejection", onUnhandledRejection);
    Error.stackTraceLimit = stackTraceLimit;
  }
}

function recordRegistrations(resources: RecordedResource[], onFailure: (error: unknown) => void): void {
  const monitor = pulumi.runtime.getMonitor() as unknown as RecordingMonitor;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) =>
    register(request, (error, response) => {
      if (error !== null && error !== undefined) onFailure(error);
      else if (response !== undefined) resources.push(recordedResource(request, response.getUrn()));
      callback(error, response);
    });
}

/**
 * The request lists every dependency, explicit or implied by an input; those implied by
 * inputs are left out, so `dependsOn` shows the ordering the program asked for (a
 * `dependsOn` on a resource whose output is also an input is not told apart).
 */
function recordedResource(request: RegisterRequest, urn: string): RecordedResource {
  const implicit = new Set<string>();
  request.getPropertydependenciesMap().forEach((dependencies) => {
    for (const dependency of dependencies.getUrnsList()) implicit.add(dependency);
  });
  const resource: RecordedResource = {
    type: request.getType(),
    name: request.getName(),
    urn,
    inputs: pulumi.runtime.deserializeProperties(request.getObject()) as Record<string, unknown>,
    dependsOn: request.getDependenciesList().filter((dependency) => !implicit.has(dependency)),
  };
  const provider = providerUrn(request.getProvider());
  if (provider !== undefined) resource.provider = provider;
  if (request.getParent() !== "") resource.parent = request.getParent();
  if (request.getRetainondelete()) resource.retainOnDelete = true;
  if (request.getIgnorechangesList().length > 0) resource.ignoreChanges = request.getIgnorechangesList();
  return resource;
}

/** A provider reference is `<urn>::<id>`, and URNs contain `::` themselves. */
function providerUrn(reference: string): string | undefined {
  if (reference === "") return undefined;
  return reference.slice(0, reference.lastIndexOf("::"));
}

/** `waitForRPCs` is what `pulumi.runtime.disconnect` waits on, without closing the monitor for good. */
async function waitForRegistrations(): Promise<void> {
  const runtime = pulumi.runtime as unknown as { waitForRPCs(): Promise<void> };
  await runtime.waitForRPCs();
}
