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
 * `If-None-Match: *` fails 412 when the key exists, `If-Match` (PutObject, DeleteObject)
 * fails 412 when the ETag differs or the key is gone; GetObject of a missing key is 404.
 */
function emulateBucket(): Map<string, { body: string; etag: string }> {
  const objects = new Map<string, { body: string; etag: string }>();
  s3.on(PutObjectCommand).callsFake((input: { Key: string; Body: string; IfNoneMatch?: string; IfMatch?: string }) => {
    const existing = objects.get(input.Key);
    if (input.IfNoneMatch === "*" && existing !== undefined) throw failure(412, "PreconditionFailed");
    if (input.IfMatch !== undefined && existing?.etag !== input.IfMatch) throw failure(412, "PreconditionFailed");
    const etag = `"${createHash("md5").update(input.Body).digest("hex")}"`;
    objects.set(input.Key, { body: input.Body, etag });
    return { ETag: etag };
  });
  s3.on(GetObjectCommand).callsFake((input: { Key: string }) => {
    const object = objects.get(input.Key);
    if (object === undefined) throw failure(404, "NoSuchKey");
    return { ETag: object.etag, Body: { transformToString: async () => object.body } };
  });
  s3.on(DeleteObjectCommand).callsFake((input: { Key: string; IfMatch?: string }) => {
    if (input.IfMatch !== undefined && objects.get(input.Key)?.etag !== input.IfMatch) throw failure(412, "PreconditionFailed");
    objects.delete(input.Key);
    return {};
  });
  return objects;
}

function leaseOf(who: string, overrides: Partial<StageLease> = {}): StageLease {
  const at = "2026-03-02T09:00:00.000Z";
  return { id: `${who}-lease`, stage: "prod", purpose: "release", holder: { who, pid: 1, command: "release --to prod" }, since: at, renewedAt: at, ...overrides };
}

const KEY = "team/.pulumi/dcp-leases/storefront/prod.json";

describe("the S3 backend's stage leases", () => {
  let store: S3LeaseStore;
  let bucket: Map<string, { body: string; etag: string }>;

  beforeEach(() => {
    s3.reset();
    bucket = emulateBucket();
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
    expect(JSON.parse(bucket.get(KEY)?.body ?? "").holder.who).to.equal("ada");
  });

  it("reads the lease again when another conditional write raced it (409 ConditionalRequestConflict)", async () => {
    s3.on(PutObjectCommand).rejectsOnce(failure(409, "ConditionalRequestConflict")).callsFake(() => {
      throw failure(412, "PreconditionFailed");
    });
    bucket.set(KEY, { body: JSON.stringify(leaseOf("ada")), etag: '"a"' });
    expect((await store.acquire(leaseOf("grace")))?.holder.who).to.equal("ada");
  });

  it("renews with a PutObject conditional on the ETag read, so that a takeover written meanwhile is never overwritten", async () => {
    const release = leaseOf("ada");
    await store.acquire(release);
    const read = bucket.get(KEY)?.etag;
    const renewed = await store.renew(release, new Date("2026-03-02T09:00:05.000Z"));
    expect(renewed?.renewedAt).to.equal("2026-03-02T09:00:05.000Z");
    expect(s3.commandCalls(PutObjectCommand)[1]?.args[0].input).to.include({ Key: KEY, IfMatch: read });

    const rollback = leaseOf("oncall", { purpose: "rollback", replaced: { how: "taken-over", previous: release } });
    expect(await store.replace(renewed as StageLease, rollback)).to.equal(true);
    expect((await store.renew(release, new Date()))?.id).to.equal(rollback.id);
    expect(JSON.parse(bucket.get(KEY)?.body ?? "").id).to.equal(rollback.id);
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
    expect(bucket.has(KEY)).to.equal(false);

    await store.acquire(release);
    await store.replace(release, leaseOf("oncall", { purpose: "rollback" }));
    await store.release(release);
    expect(JSON.parse(bucket.get(KEY)?.body ?? "").holder.who).to.equal("oncall");
  });
});
