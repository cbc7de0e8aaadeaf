import { expect } from "chai";
import { homedir } from "node:os";
import { join } from "node:path";
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

  it("under the home directory for a file://~ backend, as Pulumi reads it", () => {
    expect(leaseStoreFor("file://~/pulumi-state", "/repo", "storefront").store?.location).to.equal(
      join(homedir(), "pulumi-state", ".pulumi", "dcp-leases", "storefront"),
    );
    expect(leaseStoreFor("file://~", "/repo", "storefront").store?.location).to.equal(join(homedir(), ".pulumi", "dcp-leases", "storefront"));
  });

  it("under the S3 path however many slashes surround it", () => {
    expect(leaseStoreFor("s3://acme-state/team/dcp/", "/repo", "storefront").store?.location).to.equal("s3://acme-state/team/dcp/.pulumi/dcp-leases/storefront/");
    expect(leaseStoreFor("s3://acme-state//team//", "/repo", "storefront").store?.location).to.equal("s3://acme-state/team/.pulumi/dcp-leases/storefront/");
  });

  it("with path-style requests under either name Pulumi's S3 URL gives them", () => {
    expect((leaseStoreFor("s3://acme-state?use_path_style=true", "/repo", "storefront").store as S3LeaseStore).config).to.deep.equal({ forcePathStyle: true });
    expect((leaseStoreFor("s3://acme-state?s3ForcePathStyle=false", "/repo", "storefront").store as S3LeaseStore).config).to.deep.equal({});
  });

  it("over HTTPS to an endpoint named without a scheme, unless SSL is disabled, and to an endpoint's own scheme when it names one", () => {
    const endpointOf = (url: string) => (leaseStoreFor(url, "/repo", "storefront").store as S3LeaseStore).config.endpoint;
    expect(endpointOf("s3://acme-state?endpoint=minio.internal:9000")).to.equal("https://minio.internal:9000");
    expect(endpointOf("s3://acme-state?endpoint=minio.internal:9000&disableSSL=false")).to.equal("https://minio.internal:9000");
    expect(endpointOf("s3://acme-state?endpoint=http://localhost:4566")).to.equal("http://localhost:4566");
    expect(endpointOf("s3://acme-state?endpoint=https://s3.eu-west-1.amazonaws.com&disableSSL=true")).to.equal("https://s3.eu-west-1.amazonaws.com");
  });
});
