import { expect } from "chai";
import { mockClient } from "aws-sdk-client-mock";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { ListDeploymentsCommand, AppConfigClient } from "@aws-sdk/client-appconfig";
import { createDeploymentControl } from "../../cli/health/appconfig-control";
import { RoleSessions } from "../../cli/health/role-sessions";
import type { Envs } from "../../cli/config/model";
import type { WatchTarget } from "../../cli/pipeline/ports";
import type { StackOutputs } from "../../infra/outputs";
import { sampleConfig } from "../engine/sample-config";

const sts = mockClient(STSClient);
const appconfig = mockClient(AppConfigClient);
const GAMMA = { region: "us-east-1", role: "arn:aws:iam::222222222222:role/dcp-deploy" };

function session(accessKeyId: string, expiresInMs = 3_600_000) {
  return { Credentials: { AccessKeyId: accessKeyId, SecretAccessKey: "secret", SessionToken: "token", Expiration: new Date(Date.now() + expiresInMs) } };
}

describe("the stage role's sessions", () => {
  beforeEach(() => {
    sts.reset();
    appconfig.reset();
  });

  it("assumes the role once for every caller of the same region, role and endpoint", async () => {
    sts.on(AssumeRoleCommand).resolves(session("ASIAGAMMA"));
    const sessions = new RoleSessions("dcp-storefront-deploy");

    const [first, second] = await Promise.all([sessions.clientsFor(GAMMA), sessions.clientsFor(GAMMA)]);

    expect(second).to.equal(first);
    expect(await first.appconfig.config.credentials()).to.deep.include({ accessKeyId: "ASIAGAMMA" });
    expect(await first.cloudwatch.config.credentials()).to.deep.include({ accessKeyId: "ASIAGAMMA" });
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input)).to.deep.equal([{ RoleArn: GAMMA.role, RoleSessionName: "dcp-storefront-deploy" }]);
  });

  it("assumes the role again before its session ends, and when renewed because AWS called it expired", async () => {
    sts.on(AssumeRoleCommand).resolvesOnce(session("ASIAENDING", 2 * 60_000)).resolvesOnce(session("ASIANEXT")).resolves(session("ASIARENEWED"));
    const sessions = new RoleSessions("dcp-storefront-deploy");
    const clients = await sessions.clientsFor(GAMMA);
    await clients.appconfig.config.credentials();

    expect(await clients.appconfig.config.credentials()).to.deep.include({ accessKeyId: "ASIANEXT" });
    const renewed = await sessions.renew(GAMMA);
    expect(await renewed.appconfig.config.credentials()).to.deep.include({ accessKeyId: "ASIARENEWED" });
    expect(await sessions.clientsFor(GAMMA)).to.equal(renewed);
  });

  it("are what the AppConfig deployment control acts with: the stack's deploy role, in its region", async () => {
    sts.on(AssumeRoleCommand).resolves(session("ASIADEPLOY"));
    appconfig.on(ListDeploymentsCommand).resolves({ Items: [] });
    const envs = { pipeline: { workload: "storefront" }, stages: [] } as unknown as Envs;
    const target: WatchTarget = {
      stack: { stage: "gamma", region: "us-east-1", name: "gamma-us-east-1" },
      config: { ...sampleConfig(), role: GAMMA.role },
      outputs: { applicationId: "app-1", environmentId: "env-1" } as StackOutputs,
    };

    await createDeploymentControl(envs).stopInProgress(target);

    const client = appconfig.send.firstCall.thisValue as AppConfigClient;
    expect(await client.config.credentials()).to.deep.include({ accessKeyId: "ASIADEPLOY" });
    expect(await client.config.region()).to.equal("us-east-1");
    expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input).to.deep.equal({ RoleArn: GAMMA.role, RoleSessionName: "dcp-storefront-deploy" });
  });
});
