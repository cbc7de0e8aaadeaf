/**
 * Stage leases on an s3:// state backend: one JSON object per stage beside the stacks'
 * state, kept with S3's conditional writes. Taking a lease is a PutObject with
 * `If-None-Match: *` (412 when the object exists, 409 when another conditional write to
 * the key raced it); renewing, replacing and removing one are conditional on the ETag
 * read (`If-Match`: 412 when it changed, 404 when the lease is gone), so a takeover is
 * never overwritten by a renewal nor removed by the holder it replaced. The SDK is loaded
 * on first use: commands that take no lease never pay for it.
 */
import type { S3Client, S3ClientConfig } from "@aws-sdk/client-s3";
import { SetupError } from "../errors";
import type { LeaseStore, StageLease } from "../pipeline/ports";

type S3Module = typeof import("@aws-sdk/client-s3");

interface Stored {
  lease: StageLease;
  etag: string;
}

export class S3LeaseStore implements LeaseStore {
  readonly location: string;
  private sdk: Promise<{ s3: S3Module; client: S3Client }> | undefined;

  constructor(
    private readonly bucket: string,
    /** The key prefix of the leases, e.g. `team/.pulumi/dcp-leases/storefront/`. */
    private readonly prefix: string,
    readonly config: S3ClientConfig,
  ) {
    this.location = `s3://${bucket}/${prefix}`;
  }

  async acquire(lease: StageLease): Promise<StageLease | undefined> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.put(lease, { IfNoneMatch: "*" });
        return undefined;
      } catch (error) {
        if (!lostRace(error)) throw error;
      }
      const current = await this.read(lease.stage);
      if (current !== undefined) return current.lease;
    }
    throw new Error(`the lease of ${lease.stage} in ${this.location} kept appearing and disappearing`);
  }

  async renew(lease: StageLease, at: Date): Promise<StageLease | undefined> {
    const current = await this.read(lease.stage);
    if (current?.lease.id !== lease.id) return current?.lease;
    const renewed = { ...current.lease, renewedAt: at.toISOString() };
    try {
      await this.put(renewed, { IfMatch: current.etag });
      return renewed;
    } catch (error) {
      if (!lostRace(error)) throw error;
      return (await this.read(lease.stage))?.lease;
    }
  }

  async replace(previous: StageLease, next: StageLease): Promise<boolean> {
    const current = await this.read(previous.stage);
    if (current?.lease.id !== previous.id) return false;
    try {
      await this.put(next, { IfMatch: current.etag });
      return true;
    } catch (error) {
      if (lostRace(error)) return false;
      throw error;
    }
  }

  async release(lease: StageLease): Promise<void> {
    const current = await this.read(lease.stage);
    if (current?.lease.id !== lease.id) return;
    const { s3, client } = await this.open();
    try {
      await this.reaching(() => client.send(new s3.DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyOf(lease.stage), IfMatch: current.etag })));
    } catch (error) {
      if (!lostRace(error)) throw error;
    }
  }

  private async put(lease: StageLease, condition: { IfNoneMatch: "*" } | { IfMatch: string }): Promise<void> {
    const { s3, client } = await this.open();
    await this.reaching(() => client.send(
      new s3.PutObjectCommand({
        Bucket: this.bucket,
        Key: this.keyOf(lease.stage),
        Body: `${JSON.stringify(lease, null, 2)}\n`,
        ContentType: "application/json",
        ...condition,
      }),
    ));
  }

  private async read(stage: string): Promise<Stored | undefined> {
    const { s3, client } = await this.open();
    try {
      const object = await this.reaching(() => client.send(new s3.GetObjectCommand({ Bucket: this.bucket, Key: this.keyOf(stage) })));
      // A 200 answer to GetObject always has a body; the SDK types every output field optional.
      const text = await object.Body!.transformToString();
      // Should an answer lack its ETag, "" (no object's ETag) still keeps the writes conditional: they fail rather than overwrite.
      // Stryker disable next-line StringLiteral: any other text that is no object's ETag does the same
      return { lease: JSON.parse(text) as StageLease, etag: object.ETag ?? "" };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /**
   * A request that never got an HTTP answer (connection refused, unknown host) means the
   * backend cannot be reached: a setup problem to name, not a crash.
   */
  private async reaching<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (statusOf(error) !== undefined) throw error;
      throw new SetupError(
        "backend-unreachable",
        `the state backend cannot be reached (${this.location}: ${(error as Error).message}): check envs/pipeline.yaml's \`state\` URL, the network, and the backend's credentials`,
      );
    }
  }

  private keyOf(stage: string): string {
    return `${this.prefix}${stage}.json`;
  }

  private open(): Promise<{ s3: S3Module; client: S3Client }> {
    this.sdk ??= import("@aws-sdk/client-s3").then((s3) => ({ s3, client: new s3.S3Client(this.config) }));
    return this.sdk;
  }
}

/**
 * 412: the condition no longer holds; 409: another conditional write to the key won the
 * race; 404 NoSuchKey: the object an `If-Match` named was removed meanwhile (as S3
 * answers a conditional write or delete of a key that is gone).
 */
function lostRace(error: unknown): boolean {
  const status = statusOf(error);
  return status === 412 || status === 409 || (error as Error).name === "NoSuchKey";
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}
