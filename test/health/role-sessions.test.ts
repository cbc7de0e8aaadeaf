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

  it("keeps one session per region, role and endpoint: another of any of them assumes the role afresh", async () => {
    sts.on(AssumeRoleCommand).resolves(session("ASIAGAMMA"));
    const sessions = new RoleSessions("dcp-storefront-deploy");
    const local = { ...GAMMA, endpoint: "http://localhost:4566" };
    const targets = [GAMMA, { ...GAMMA, region: "eu-west-1" }, { ...GAMMA, role: "arn:aws:iam::333333333333:role/dcp-deploy" }, local, { ...local, endpoint: "http://localhost:4567" }];

    const clients = await Promise.all(targets.map((target) => sessions.clientsFor(target)));

    expect(new Set(clients).size).to.equal(targets.length);
    expect(await sessions.clientsFor({ ...local })).to.equal(clients[3]);
  });

  it("assumes the role again for the next request after STS refused it", async () => {
    sts.on(AssumeRoleCommand).rejectsOnce(new Error("Rate exceeded")).resolves(session("ASIAGAMMA"));
    const clients = await new RoleSessions("dcp-storefront-deploy").clientsFor(GAMMA);

    const refused = await Promise.resolve(clients.cloudwatch.config.credentials()).catch((error: unknown) => error);
    expect(refused).to.have.property("message", "Rate exceeded");
    expect(await clients.cloudwatch.config.credentials()).to.deep.include({ accessKeyId: "ASIAGAMMA" });
  });

  it("fails a request, naming the role, when STS answers without credentials", async () => {
    sts.on(AssumeRoleCommand).resolves({});
    const clients = await new RoleSessions("dcp-storefront-deploy").clientsFor(GAMMA);

    const failure = await Promise.resolve(clients.appconfig.config.credentials()).catch((error: unknown) => error);
    expect(failure).to.have.property("message", `assuming ${GAMMA.role} returned no credentials`);
  });

  it("keeps credentials that carry no expiry for every request", async () => {
    sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: "ASIAFOREVER", SecretAccessKey: "secret", SessionToken: "token", Expiration: undefined } });
    const clients = await new RoleSessions("dcp-storefront-deploy").clientsFor(GAMMA);

    await clients.cloudwatch.config.credentials();
    expect(await clients.cloudwatch.config.credentials()).to.deep.include({ accessKeyId: "ASIAFOREVER" });
    expect(sts.commandCalls(AssumeRoleCommand)).to.have.length(1);
  });

  it("renews a session with exactly five minutes left, and keeps one with a moment more", async () => {
    const now = Date.parse("2026-03-02T09:00:00Z");
    const realNow = Date.now;
    Date.now = () => now;
    try {
      const expiringIn = (ms: number) => ({ Credentials: { AccessKeyId: `ASIA${ms}`, SecretAccessKey: "secret", SessionToken: "token", Expiration: new Date(now + ms) } });
      sts.on(AssumeRoleCommand).resolvesOnce(expiringIn(5 * 60_000 + 1)).resolvesOnce(expiringIn(5 * 60_000)).resolves(expiringIn(3_600_000));
      // The CloudWatch client takes the session first; the AppConfig client's first request then finds it held.
      const kept = await new RoleSessions("dcp-storefront-deploy").clientsFor(GAMMA);
      await kept.cloudwatch.config.credentials();
      expect(await kept.appconfig.config.credentials()).to.deep.include({ accessKeyId: `ASIA${5 * 60_000 + 1}` });

      const renewed = await new RoleSessions("dcp-storefront-deploy").clientsFor(GAMMA);
      await renewed.cloudwatch.config.credentials();
      expect(await renewed.appconfig.config.credentials()).to.deep.include({ accessKeyId: "ASIA3600000" });
    } finally {
      Date.now = realNow;
    }
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

  it("act at the stage's endpoint (LocalStack), unless the stack's own config names another", async () => {
    sts.on(AssumeRoleCommand).resolves(session("ASIADEPLOY"));
    appconfig.on(ListDeploymentsCommand).resolves({ Items: [] });
    const envs = {
      pipeline: { workload: "storefront" },
      stages: [{ name: "gamma", definition: { endpoint: "http://localhost:4566" } }],
    } as unknown as Envs;
    const target = (endpoint?: string): WatchTarget => ({
      stack: { stage: "gamma", region: "us-east-1", name: "gamma-us-east-1" },
      config: { ...sampleConfig(), role: GAMMA.role, ...(endpoint && { endpoint }) },
      outputs: { applicationId: "app-1", environmentId: "env-1" } as StackOutputs,
    });
    const control = createDeploymentControl(envs);

    await control.stopInProgress(target());
    await control.stopInProgress(target("http://localhost:4599"));

    const ports = await Promise.all(appconfig.send.getCalls().map(async (call) => (await (call.thisValue as AppConfigClient).config.endpoint?.())?.port));
    expect(ports).to.deep.equal([4566, 4599]);
  });
});
