import { expect } from "chai";
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { createHash } from "node:crypto";
import { leaseStoreFor } from "../../cli/engine/lease-store";
import type { S3LeaseStore } from "../../cli/engine/s3-lease-store";
import { SetupError } from "../../cli/errors";
import type { StageLease } from "../../cli/pipeline/ports";

const s3 = mockClient(S3Client);

function failure(status: number, name: string): Error {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
}

/**
 * A bucket answering as S3's conditional requests are documented: PutObject with
 * `If-None-Match: *` fails 412 when the key exists; `If-Match` (PutObject, DeleteObject)
 * fails 412 when the ETag differs and 404 NoSuchKey when the key is gone; GetObject of a
 * missing key is 404. `meanwhile`, when set, is what another run does just before the next
 * conditional write or delete reaches the bucket (once).
 */
interface Bucket {
  objects: Map<string, { body: string; etag: string }>;
  meanwhile?: () => void;
}

function emulateBucket(): Bucket {
  const bucket: Bucket = { objects: new Map() };
  const interleave = () => {
    const other = bucket.meanwhile;
    bucket.meanwhile = undefined;
    other?.();
  };
  const { objects } = bucket;
  s3.on(PutObjectCommand).callsFake((input: { Key: string; Body: string; IfNoneMatch?: string; IfMatch?: string }) => {
    interleave();
    const existing = objects.get(input.Key);
    if (input.IfNoneMatch === "*" && existing !== undefined) throw failure(412, "PreconditionFailed");
    if (input.IfMatch !== undefined && existing === undefined) throw failure(404, "NoSuchKey");
    if (input.IfMatch !== undefined && existing?.etag !== input.IfMatch) throw failure(412, "PreconditionFailed");
    const etag = etagOf(input.Body);
    objects.set(input.Key, { body: input.Body, etag });
    return { ETag: etag };
  });
  s3.on(GetObjectCommand).callsFake((input: { Key: string }) => {
    const object = objects.get(input.Key);
    if (object === undefined) throw failure(404, "NoSuchKey");
    return { ETag: object.etag, Body: { transformToString: async () => object.body } };
  });
  s3.on(DeleteObjectCommand).callsFake((input: { Key: string; IfMatch?: string }) => {
    interleave();
    const existing = objects.get(input.Key);
    if (input.IfMatch !== undefined && existing === undefined) throw failure(404, "NoSuchKey");
    if (input.IfMatch !== undefined && existing?.etag !== input.IfMatch) throw failure(412, "PreconditionFailed");
    objects.delete(input.Key);
    return {};
  });
  return bucket;
}

function etagOf(body: string): string {
  return `"${createHash("md5").update(body).digest("hex")}"`;
}

/** Stores `lease` as another run would. */
function stored(bucket: Bucket, lease: StageLease): void {
  const body = `${JSON.stringify(lease, null, 2)}\n`;
  bucket.objects.set(KEY, { body, etag: etagOf(body) });
}

function leaseOf(who: string, overrides: Partial<StageLease> = {}): StageLease {
  const at = "2026-03-02T09:00:00.000Z";
  return { id: `${who}-lease`, stage: "prod", purpose: "release", holder: { who, pid: 1, command: "release --to prod" }, since: at, renewedAt: at, ...overrides };
}

const KEY = "team/.pulumi/dcp-leases/storefront/prod.json";

describe("the S3 backend's stage leases", () => {
  let store: S3LeaseStore;
  let bucket: Bucket;
  let objects: Map<string, { body: string; etag: string }>;

  beforeEach(() => {
    s3.reset();
    bucket = emulateBucket();
    objects = bucket.objects;
    store = leaseStoreFor("s3://acme-pulumi-state/team?region=eu-west-1", "/repo", "storefront").store as S3LeaseStore;
  });

  it("takes a lease with a PutObject conditional on no object existing, beside the stacks' state", async () => {
    expect(await store.acquire(leaseOf("ada"))).to.equal(undefined);

    const put = s3.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(put).to.include({ Bucket: "acme-pulumi-state", Key: KEY, IfNoneMatch: "*", ContentType: "application/json" });
    expect(JSON.parse(String(put?.Body))).to.deep.equal(leaseOf("ada"));
    expect(store.location).to.equal("s3://acme-pulumi-state/team/.pulumi/dcp-leases/storefront/");
  });

  it("says the state backend cannot be reached (a setup problem, exit 1) when a request gets no HTTP answer", async () => {
    s3.on(PutObjectCommand).rejects(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" }));
    const error = await store.acquire(leaseOf("ada")).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(SetupError).and.include({ problem: "backend-unreachable", exitCode: 1 });
    expect((error as Error).message).to.match(/^the state backend cannot be reached \(s3:\/\/acme-pulumi-state\/team\/.*ECONNREFUSED/);
  });

  it("shows a second run the lease that won (412 Precondition Failed)", async () => {
    await store.acquire(leaseOf("ada"));
    expect((await store.acquire(leaseOf("grace")))?.holder.who).to.equal("ada");
    expect(JSON.parse(objects.get(KEY)?.body ?? "").holder.who).to.equal("ada");
  });

  it("reads the lease again when another conditional write raced it (409 ConditionalRequestConflict)", async () => {
    s3.on(PutObjectCommand).rejectsOnce(failure(409, "ConditionalRequestConflict")).callsFake(() => {
      throw failure(412, "PreconditionFailed");
    });
    objects.set(KEY, { body: JSON.stringify(leaseOf("ada")), etag: '"a"' });
    expect((await store.acquire(leaseOf("grace")))?.holder.who).to.equal("ada");
  });

  it("renews with a PutObject conditional on the ETag read, so that a takeover written meanwhile is never overwritten", async () => {
    const release = leaseOf("ada");
    await store.acquire(release);
    const read = objects.get(KEY)?.etag;
    const renewed = await store.renew(release, new Date("2026-03-02T09:00:05.000Z"));
    expect(renewed?.renewedAt).to.equal("2026-03-02T09:00:05.000Z");
    expect(s3.commandCalls(PutObjectCommand)[1]?.args[0].input).to.include({ Key: KEY, IfMatch: read });

    const rollback = leaseOf("oncall", { purpose: "rollback", replaced: { how: "taken-over", previous: release } });
    expect(await store.replace(renewed as StageLease, rollback)).to.equal(true);
    expect((await store.renew(release, new Date()))?.id).to.equal(rollback.id);
    expect(JSON.parse(objects.get(KEY)?.body ?? "").id).to.equal(rollback.id);
  });

  it("refuses to replace a lease that changed since it was read", async () => {
    const dead = leaseOf("ada");
    await store.acquire(dead);
    expect(await store.replace(dead, leaseOf("grace", { replaced: { how: "broken", reason: "runner died", previous: dead } }))).to.equal(true);
    expect(await store.replace(dead, leaseOf("linus"))).to.equal(false);
  });

  it("removes its own lease with a DeleteObject conditional on the ETag read, and never one that replaced it", async () => {
    const release = leaseOf("ada");
    await store.acquire(release);
    await store.release(release);
    expect(s3.commandCalls(DeleteObjectCommand)[0]?.args[0].input).to.include({ Bucket: "acme-pulumi-state", Key: KEY });
    expect(s3.commandCalls(DeleteObjectCommand)[0]?.args[0].input.IfMatch).to.match(/^"[0-9a-f]{32}"$/);
    expect(objects.has(KEY)).to.equal(false);

    await store.acquire(release);
    await store.replace(release, leaseOf("oncall", { purpose: "rollback" }));
    await store.release(release);
    expect(JSON.parse(objects.get(KEY)?.body ?? "").holder.who).to.equal("oncall");
  });

  describe("acquiring", () => {
    it("takes the stage when the lease that refused it was let go before it could be read", async () => {
      s3.on(PutObjectCommand).rejectsOnce(failure(412, "PreconditionFailed")).callsFake((input: { Key: string; Body: string }) => {
        objects.set(input.Key, { body: input.Body, etag: etagOf(input.Body) });
        return {};
      });
      expect(await store.acquire(leaseOf("grace"))).to.equal(undefined);
      expect(JSON.parse(objects.get(KEY)?.body ?? "").holder.who).to.equal("grace");
    });

    it("gives up after three tries, saying so, when the lease keeps vanishing between a refused write and the read of it", async () => {
      s3.on(PutObjectCommand).rejects(failure(412, "PreconditionFailed"));
      const error = await store.acquire(leaseOf("grace")).catch((e: unknown) => e);
      expect((error as Error).message).to.equal(
        "the lease of prod in s3://acme-pulumi-state/team/.pulumi/dcp-leases/storefront/ kept appearing and disappearing",
      );
      expect(s3.commandCalls(PutObjectCommand)).to.have.length(3);
    });

    for (const [status, name] of [[403, "AccessDenied"], [404, "NoSuchBucket"]] as const) {
      it(`fails with S3's own error when the write is refused for another reason (${status} ${name})`, async () => {
        s3.on(PutObjectCommand).rejects(failure(status, name));
        s3.on(GetObjectCommand).rejects(failure(status, name));
        const error = await store.acquire(leaseOf("grace")).catch((e: unknown) => e);
        expect(error).to.include({ name });
        expect(s3.commandCalls(PutObjectCommand)).to.have.length(1);
      });
    }
  });

  it("fails with S3's own error when the lease cannot be read, rather than taking it for gone", async () => {
    s3.on(GetObjectCommand).rejects(failure(403, "AccessDenied"));
    expect(await store.renew(leaseOf("ada"), new Date()).catch((e: unknown) => e)).to.include({ name: "AccessDenied" });
    expect(await store.replace(leaseOf("ada"), leaseOf("grace")).catch((e: unknown) => e)).to.include({ name: "AccessDenied" });
    expect(s3.commandCalls(PutObjectCommand)).to.have.length(0);
  });

  describe("renewing", () => {
    it("never rewrites a lease that replaced the holder's, and shows it as stored", async () => {
      const release = leaseOf("ada");
      const rollback = leaseOf("oncall", { purpose: "rollback", replaced: { how: "taken-over", previous: release } });
      stored(bucket, rollback);
      const before = objects.get(KEY);
      expect(await store.renew(release, new Date("2026-03-02T09:00:05.000Z"))).to.deep.equal(rollback);
      expect(objects.get(KEY)).to.deep.equal(before);
      expect(s3.commandCalls(PutObjectCommand)).to.have.length(0);
    });

    it("finds nothing when the lease is gone", async () => {
      expect(await store.renew(leaseOf("ada"), new Date())).to.equal(undefined);
      expect(s3.commandCalls(PutObjectCommand)).to.have.length(0);
    });

    it("gives the takeover that landed between its read and its write, and leaves it in place", async () => {
      const release = leaseOf("ada");
      stored(bucket, release);
      const rollback = leaseOf("oncall", { purpose: "rollback", replaced: { how: "taken-over", previous: release } });
      bucket.meanwhile = () => stored(bucket, rollback);
      expect(await store.renew(release, new Date("2026-03-02T09:00:05.000Z"))).to.deep.equal(rollback);
      expect(JSON.parse(objects.get(KEY)?.body ?? "")).to.deep.equal(rollback);
    });

    it("finds nothing when the lease was removed between its read and its write (404 NoSuchKey)", async () => {
      const release = leaseOf("ada");
      stored(bucket, release);
      bucket.meanwhile = () => objects.delete(KEY);
      expect(await store.renew(release, new Date("2026-03-02T09:00:05.000Z"))).to.equal(undefined);
      expect(objects.has(KEY)).to.equal(false);
    });

    it("fails with S3's own error when the write is refused for another reason", async () => {
      stored(bucket, leaseOf("ada"));
      s3.on(PutObjectCommand).rejects(failure(403, "AccessDenied"));
      const error = await store.renew(leaseOf("ada"), new Date()).catch((e: unknown) => e);
      expect(error).to.include({ name: "AccessDenied" });
    });
  });

  describe("replacing", () => {
    it("writes the new lease conditional on the ETag of the lease it read", async () => {
      const dead = leaseOf("ada");
      stored(bucket, dead);
      const read = objects.get(KEY)?.etag;
      expect(await store.replace(dead, leaseOf("grace"))).to.equal(true);
      expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).to.include({ Key: KEY, IfMatch: read });
    });

    it("refuses when there is no lease to replace", async () => {
      expect(await store.replace(leaseOf("ada"), leaseOf("grace"))).to.equal(false);
      expect(objects.has(KEY)).to.equal(false);
    });

    it("refuses, leaving the other run's lease, when another replacement landed between its read and its write", async () => {
      const dead = leaseOf("ada");
      stored(bucket, dead);
      const first = leaseOf("linus", { replaced: { how: "broken", reason: "runner died", previous: dead } });
      bucket.meanwhile = () => stored(bucket, first);
      expect(await store.replace(dead, leaseOf("grace"))).to.equal(false);
      expect(JSON.parse(objects.get(KEY)?.body ?? "")).to.deep.equal(first);
    });

    it("refuses when the lease was removed between its read and its write (404 NoSuchKey), writing nothing", async () => {
      const dead = leaseOf("ada");
      stored(bucket, dead);
      bucket.meanwhile = () => objects.delete(KEY);
      expect(await store.replace(dead, leaseOf("grace"))).to.equal(false);
      expect(objects.has(KEY)).to.equal(false);
    });

    it("fails with S3's own error when the write is refused for another reason", async () => {
      stored(bucket, leaseOf("ada"));
      s3.on(PutObjectCommand).rejects(failure(403, "AccessDenied"));
      const error = await store.replace(leaseOf("ada"), leaseOf("grace")).catch((e: unknown) => e);
      expect(error).to.include({ name: "AccessDenied" });
    });
  });

  describe("releasing", () => {
    it("does nothing when the lease is already gone", async () => {
      await store.release(leaseOf("ada"));
      expect(s3.commandCalls(DeleteObjectCommand)).to.have.length(0);
    });

    it("leaves in place a takeover that landed between its read and its delete", async () => {
      const release = leaseOf("ada");
      stored(bucket, release);
      const rollback = leaseOf("oncall", { purpose: "rollback", replaced: { how: "taken-over", previous: release } });
      bucket.meanwhile = () => stored(bucket, rollback);
      await store.release(release);
      expect(JSON.parse(objects.get(KEY)?.body ?? "")).to.deep.equal(rollback);
    });

    it("is done when the lease was removed between its read and its delete (404 NoSuchKey)", async () => {
      const release = leaseOf("ada");
      stored(bucket, release);
      bucket.meanwhile = () => objects.delete(KEY);
      await store.release(release);
      expect(objects.has(KEY)).to.equal(false);
    });

    it("fails with S3's own error when the delete is refused for another reason", async () => {
      stored(bucket, leaseOf("ada"));
      s3.on(DeleteObjectCommand).rejects(failure(403, "AccessDenied"));
      const error = await store.release(leaseOf("ada")).catch((e: unknown) => e);
      expect(error).to.include({ name: "AccessDenied" });
    });
  });
});
