import { expect } from "chai";
import { stageProviderArgs } from "../../infra/provider";
import { sampleConfig } from "./sample-stacks";

describe("the stage provider's arguments", () => {
  it("send every service the program uses to a local endpoint, and still look up and check the account there", async () => {
    const config = await sampleConfig("beta-us-west-2");
    config.endpoint = "http://localhost:4566";
    const args = stageProviderArgs(config);
    expect(args.endpoints).to.deep.equal([
      {
        appconfig: "http://localhost:4566",
        cloudwatch: "http://localhost:4566",
        iam: "http://localhost:4566",
        sns: "http://localhost:4566",
        sts: "http://localhost:4566",
      },
    ]);
    expect(args).to.include({ skipMetadataApiCheck: true, s3UsePathStyle: true });
    expect(args).not.to.have.any.keys("skipCredentialsValidation", "skipRequestingAccountId");
    expect(args.allowedAccountIds).to.deep.equal([config.account]);
    expect(args.region).to.equal("us-west-2");
  });

  it("refuse an endpoint a production stack must not use, even from a recorded StackConfig", async () => {
    const config = await sampleConfig("prod-us-east-1");
    config.endpoint = "https://localstack.example.com";
    expect(() => stageProviderArgs(config)).to.throw(/^stack prod-us-east-1: endpoint localstack\.example\.com in a production stage/);
  });

  it("keep the assumed-role session name within AWS's 64 characters, whatever the names", async () => {
    const config = await sampleConfig("prod-us-east-1");
    config.workload = "a".repeat(31);
    config.stage = "b".repeat(31);
    const [assumeRole] = stageProviderArgs(config).assumeRoles as { sessionName: string }[];
    expect(assumeRole?.sessionName).to.have.length(64);
    expect(assumeRole?.sessionName).to.match(/^[\w+=,.@-]+$/);
  });

  it("name the release in the session, so CloudTrail shows which release made a change", async () => {
    const config = await sampleConfig("gamma-us-east-1");
    const [assumeRole] = stageProviderArgs(config).assumeRoles as { sessionName: string }[];
    expect(assumeRole?.sessionName).to.equal(`dcp-storefront-gamma-${config.metadata?.releaseId ?? "?"}`);
  });
});
