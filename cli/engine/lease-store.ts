/**
 * The stage lease store for pipeline.yaml's state backend. A file:// backend keeps
 * leases beside the stacks' state (`<backend>/.pulumi/dcp-leases/<workload>/<stage>.json`),
 * outside `.pulumi/stacks`, where Pulumi would list them as stacks.
 */
import { homedir } from "node:os";
import { join } from "node:path";
import type { LeaseStore } from "../pipeline/ports";
import { FileLeaseStore } from "./file-lease-store";
import { resolveBackend } from "./workspace";

export interface LeaseStoreChoice {
  store?: LeaseStore;
  /** Why runs of one stage are not kept apart, when no store can be had. */
  notice?: string;
}

export function leaseStoreFor(state: string | undefined, repoRoot: string, workload: string): LeaseStoreChoice {
  const backend = resolveBackend(state, repoRoot);
  const directory = backend.directory ?? (backend.url.startsWith("file://~") ? join(homedir(), backend.url.slice("file://~".length)) : undefined);
  if (directory !== undefined) return { store: new FileLeaseStore(join(directory, ".pulumi", "dcp-leases", workload)) };
  return {
    notice:
      `stage leases are kept on file:// backends only so far: on ${backend.url} two runs of one stage ` +
      "are kept apart by Pulumi's per-stack lock alone. Run one release or rollback of a stage at a time.",
  };
}
