/**
 * The stage lease store for pipeline.yaml's state backend. File and S3 backends keep
 * leases beside the stacks' state (`<backend>/.pulumi/dcp-leases/<workload>/<stage>.json`),
 * outside `.pulumi/stacks`, where Pulumi would list them as stacks.
 */
import { homedir } from "node:os";
import { join } from "node:path";
import type { LeaseStore } from "../pipeline/ports";
import { FileLeaseStore } from "./file-lease-store";
import { S3LeaseStore } from "./s3-lease-store";
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
  if (backend.url.startsWith("s3://")) return { store: s3LeaseStore(new URL(backend.url), workload) };
  return {
    notice:
      `stage leases are kept on file:// and s3:// backends only: on ${backend.url} two runs of one stage ` +
      "are kept apart by Pulumi's per-stack lock alone. Run one release or rollback of a stage at a time.",
  };
}

/**
 * The bucket, path and settings as Pulumi's S3 backend reads them from its URL
 * (`s3://bucket/path?region=…&profile=…&endpoint=…&disableSSL=true&s3ForcePathStyle=true`): the same
 * bucket, beside the same `.pulumi` directory, with the same credentials.
 */
function s3LeaseStore(url: URL, workload: string): S3LeaseStore {
  const path = url.pathname.replace(/^\/+|\/+$/g, "");
  const prefix = `${path === "" ? "" : `${path}/`}.pulumi/dcp-leases/${workload}/`;
  const query = url.searchParams;
  const region = query.get("region");
  const profile = query.get("profile");
  const endpoint = query.get("endpoint");
  const pathStyle = query.get("s3ForcePathStyle") ?? query.get("use_path_style");
  const scheme = query.get("disableSSL") === "true" ? "http" : "https";
  return new S3LeaseStore(url.hostname, prefix, {
    ...(region !== null && { region }),
    ...(profile !== null && { profile }),
    ...(endpoint !== null && { endpoint: endpoint.startsWith("http://") || endpoint.startsWith("https://") ? endpoint : `${scheme}://${endpoint}` }),
    ...(pathStyle === "true" && { forcePathStyle: true }),
  });
}
