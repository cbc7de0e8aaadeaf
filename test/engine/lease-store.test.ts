import { expect } from "chai";
import { FileLeaseStore } from "../../cli/engine/file-lease-store";
import { leaseStoreFor } from "../../cli/engine/lease-store";
import { S3LeaseStore } from "../../cli/engine/s3-lease-store";

describe("where stage leases are kept", () => {
  it("beside the stack state of the file backend that pipeline.yaml names, outside the stacks Pulumi lists", () => {
    const { store } = leaseStoreFor("file://.pulumi-state", "/repo", "storefront");
    expect(store).to.be.instanceOf(FileLeaseStore);
    expect(store?.location).to.equal("/repo/.pulumi-state/.pulumi/dcp-leases/storefront");
  });

  it("in the S3 backend's bucket, under its path, with the region, profile and endpoint of its URL", () => {
    const { store } = leaseStoreFor("s3://acme-state/team?region=eu-west-1&profile=deploy&endpoint=localhost:4566&disableSSL=true&s3ForcePathStyle=true", "/repo", "storefront");
    expect(store).to.be.instanceOf(S3LeaseStore);
    expect(store?.location).to.equal("s3://acme-state/team/.pulumi/dcp-leases/storefront/");
    expect((store as S3LeaseStore).config).to.deep.equal({ region: "eu-west-1", profile: "deploy", endpoint: "http://localhost:4566", forcePathStyle: true });
  });

  it("at the bucket's root when the S3 URL names no path, with the SDK's own region and credentials", () => {
    const { store } = leaseStoreFor("s3://acme-state", "/repo", "storefront");
    expect(store?.location).to.equal("s3://acme-state/.pulumi/dcp-leases/storefront/");
    expect((store as S3LeaseStore).config).to.deep.equal({});
  });

  it("nowhere on other backends, which is said: runs of one stage are kept apart by Pulumi's per-stack lock alone", () => {
    const { store, notice } = leaseStoreFor("gs://acme-state", "/repo", "storefront");
    expect(store).to.equal(undefined);
    expect(notice).to.include("gs://acme-state").and.include("per-stack lock alone");
  });
});
