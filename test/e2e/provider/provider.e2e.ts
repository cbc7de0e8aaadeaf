import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalAws, type LocalAws } from "../aws/local-aws";
import { declare, rpc, startPlugin, type Plugin } from "./plugin-client";
import { alarmArgs, appConfigFixtures, deploymentArgs, MINUTE_MS, providerArgs, REGION, ROLE, T, TRUST } from "./fixtures";
import { isSecret, SECRET_SIG, SIG_KEY, UNKNOWN, type Props } from "./values";

describe("the e2e pulumi-resource-aws plugin", function () {
  let aws: LocalAws;
  let plugin: Plugin;
  let api: ReturnType<typeof rpc>;
  let logDir: string;
  let hostedFlags: ReturnType<typeof appConfigFixtures>["hostedFlags"];
  let deployable: ReturnType<typeof appConfigFixtures>["deployable"];
  const secretValue = (value: unknown) => (isSecret(value) ? value.value : undefined);

  before(async function () {
    aws = await startLocalAws({ minuteMs: MINUTE_MS });
    logDir = mkdtempSync(join(tmpdir(), "dcp-provider-"));
    plugin = await startPlugin({ DCP_E2E_MINUTE_MS: String(MINUTE_MS), DCP_E2E_AWS_CALL_LOG: join(logDir, "calls.ndjson") });
    api = rpc(plugin.client);
    ({ hostedFlags, deployable } = appConfigFixtures(api));
    await api.configure(await api.checkConfig(providerArgs(aws.endpoint)));
  });

  after(async function () {
    await plugin?.stop();
    await aws?.stop();
    if (logDir) rmSync(logDir, { recursive: true, force: true });
  });

  async function application(name: string) {
    return declare(api, T.app, name, { name, description: "managed by dcp", tags: { owner: "team-a" } });
  }

  describe("the plugin protocol", function () {
    it("reports the version of the @pulumi/aws package, so the engine does not warn of a mismatch", async function () {
      const expected = (JSON.parse(readFileSync(require.resolve("@pulumi/aws/package.json"), "utf8")) as { version: string }).version;
      expect((await api.pluginInfo()).getVersion()).to.equal(expected);
    });

    it("accepts secrets in the handshake, so secret inputs reach it wrapped and stay secret in state", async function () {
      expect((await api.handshake()).getAcceptSecrets()).to.equal(true);
    });

    it("updates the provider in place when only the default tags change, and replaces it when the region changes", async function () {
      const olds = providerArgs(aws.endpoint);
      const tags = await api.diffConfig(olds, { ...olds, defaultTags: JSON.stringify({ tags: { "release-id": "r2" } }) });
      expect(tags.getDiffsList()).to.deep.equal(["defaultTags"]);
      expect(tags.getReplacesList()).to.deep.equal([]);
      const region = await api.diffConfig(olds, { ...olds, region: "us-east-1" });
      expect(region.getReplacesList()).to.deep.equal(["region"]);
    });

    it("assumes the configured role through STS at the configured endpoint and logs every AWS call it makes", async function () {
      await application("logged");
      const calls = readFileSync(join(logDir, "calls.ndjson"), "utf8").trim().split("\n").map((line) => JSON.parse(line) as Props);
      expect(calls).to.deep.include({ service: "sts", action: "AssumeRole", resource: ROLE, region: REGION });
      expect(calls.some((c) => c.service === "appconfig" && c.action === "CreateApplication")).to.equal(true);
      expect(calls.every((c) => c.region === REGION)).to.equal(true);
    });
  });

  describe("checking inputs", function () {
    it("auto-names a resource left without a name and records it in __defaults, keeping the name on later checks", async function () {
      const first = await api.check(T.topic, "notifications", {});
      expect(first.name).to.match(/^notifications-[0-9a-f]{7}$/);
      expect(first.__defaults).to.deep.equal(["name"]);
      const again = await api.check(T.topic, "notifications", {}, first);
      expect(again.name).to.equal(first.name);
    });

    it("fills the schema defaults dcp relies on: a configuration profile is freeform unless a type is given", async function () {
      const checked = await api.check(T.profile, "p", { applicationId: "abc1234", name: "p", locationUri: "hosted" });
      expect(checked.type).to.equal("AWS.Freeform");
      expect(checked.__defaults).to.deep.equal(["type"]);
    });

    it("keeps secret inputs wrapped, so the engine stores them as secrets", async function () {
      const checked = await api.check(T.version, "v", { content: { [SIG_KEY]: SECRET_SIG, value: "{}" } });
      expect(isSecret(checked.content)).to.equal(true);
    });
  });

  describe("AppConfig", function () {
    it("returns the application id, an ARN built by the provider, and tagsAll with the default tags merged in", async function () {
      const app = await application("shop");
      expect(app.id).to.match(/^[0-9a-z]{4,7}$/);
      expect(app.outputs.arn).to.equal(`arn:aws:appconfig:${REGION}:123456789012:application/${app.id}`);
      expect(app.outputs.tagsAll).to.deep.equal({ workload: "shop", stage: "beta", "managed-by": "dcp", owner: "team-a" });
      expect(app.outputs.tags).to.deep.equal({ owner: "team-a" });
    });

    it("ids an environment `environmentId:applicationId` and keeps its monitors", async function () {
      const app = await application("env-app");
      const alarm = await declare(api, T.alarm, "errors", alarmArgs("shop-beta-errors"));
      const role = await declare(api, T.role, "monitoring", { name: "shop-beta-appconfig-alarms", assumeRolePolicy: TRUST });
      const env = await declare(api, T.env, "beta", {
        applicationId: app.id,
        name: "beta",
        monitors: [{ alarmArn: alarm.outputs.arn ?? "", alarmRoleArn: role.outputs.arn ?? "" }],
      });
      expect(env.id).to.equal(`${env.outputs.environmentId}:${app.id}`);
      expect(env.outputs.monitors).to.deep.equal([{ alarmArn: alarm.outputs.arn, alarmRoleArn: role.outputs.arn }]);
      expect(env.outputs.description).to.equal("");
    });

    it("ids a profile `profileId:applicationId` and returns its validators' schemas as secrets", async function () {
      const app = await application("profile-app");
      const schema = JSON.stringify({ type: "object" });
      const profile = await declare(api, T.profile, "logging", {
        applicationId: app.id,
        name: "logging",
        locationUri: "hosted",
        validators: [{ type: "JSON_SCHEMA", content: schema }],
      });
      expect(profile.id).to.equal(`${profile.outputs.configurationProfileId}:${app.id}`);
      const [validator] = profile.outputs.validators as Props[];
      expect(secretValue(validator?.content)).to.equal(schema);
    });

    it("ids a hosted version `app/profile/version`, returns its content as a secret, and keeps what AppConfig stored", async function () {
      const { version } = await hostedFlags("stored");
      expect(version.id).to.equal(`${version.inputs.applicationId}/${version.inputs.configurationProfileId}/${version.outputs.versionNumber}`);
      const stored = secretValue(version.outputs.content);
      expect(stored).to.be.a("string");
      expect(stored as string).to.include("_createdAt");
    });

    it("plans a replacement of feature flags deployed again unchanged, because the state holds AppConfig's stamped content (pulumi-aws#2172)", async function () {
      const { version } = await hostedFlags("replan");
      const diff = await api.diff(T.version, "flags", version.id, version.outputs, version.inputs);
      expect(diff.getReplacesList()).to.deep.equal(["content"]);
      expect(diff.getDeletebeforereplace()).to.equal(false);
    });

    it("leaves a property the program ignores out of the diff", async function () {
      const { version } = await hostedFlags("ignored");
      const diff = await api.diff(T.version, "flags", version.id, version.outputs, version.inputs, ["content"]);
      expect(diff.getReplacesList()).to.deep.equal([]);
      expect(diff.getChanges()).not.to.equal(2 /* DIFF_SOME */);
    });

    it("replaces a hosted version for any changed argument, the description included", async function () {
      const { version } = await hostedFlags("describe");
      const stateAsInputs = { ...version.inputs, content: version.outputs.content ?? null };
      const diff = await api.diff(T.version, "flags", version.id, version.outputs, { ...stateAsInputs, description: "new" });
      expect(diff.getReplacesList()).to.deep.equal(["description"]);
    });

    it("starts a deployment and returns at once, ids it `app/env/number`, and replaces it for any changed argument", async function () {
      const { app, env, version, strategy } = await deployable("deploy-now", 2);
      const deployment = await declare(api, T.deployment, "flags-1", deploymentArgs(app, env, version, strategy));
      expect(deployment.id).to.equal(`${app.id}/${env.outputs.environmentId}/${deployment.outputs.deploymentNumber}`);
      expect(deployment.outputs.state).to.equal("DEPLOYING");
      const diff = await api.diff(T.deployment, "flags-1", deployment.id, deployment.outputs, { ...deployment.inputs, description: "other" });
      expect(diff.getReplacesList()).to.deep.equal(["description"]);
    });

    it("waits out a deployment in progress in the same environment (ConflictException) before starting the next", async function () {
      const { app, env, version, strategy } = await deployable("conflict", 1);
      await declare(api, T.deployment, "first", deploymentArgs(app, env, version, strategy));
      const second = await declare(api, T.deployment, "second", deploymentArgs(app, env, version, strategy));
      expect(second.outputs.deploymentNumber).to.equal(2);
    });

    it("deletes a deployment by forgetting it: AppConfig keeps it", async function () {
      const { app, env, version, strategy } = await deployable("forget", 1);
      const deployment = await declare(api, T.deployment, "kept", deploymentArgs(app, env, version, strategy));
      await api.delete(T.deployment, "kept", deployment.id, deployment.outputs);
      const kept = await api.read(T.deployment, "kept", deployment.id, deployment.outputs);
      expect(kept.id).to.equal(deployment.id);
      expect(kept.outputs.deploymentNumber).to.equal(1);
    });

    it("previews a create with the inputs, the computed tagsAll, and unknowns for what only AWS knows", async function () {
      const inputs = await api.check(T.app, "preview", { name: "preview" });
      const preview = await api.create(T.app, "preview", inputs, true);
      expect(preview.id).to.equal("");
      expect(preview.outputs.arn).to.equal(UNKNOWN);
      expect(preview.outputs.tagsAll).to.deep.equal({ workload: "shop", stage: "beta", "managed-by": "dcp" });
    });
  });

  describe("diffs", function () {
    it("updates in place what the API can update (an application's description)", async function () {
      const app = await application("updatable");
      const diff = await api.diff(T.app, "updatable", app.id, app.outputs, { ...app.inputs, description: "new" });
      expect(diff.getChanges()).to.equal(2); // DIFF_SOME
      expect(diff.getReplacesList()).to.deep.equal([]);
      expect(diff.getDiffsList()).to.deep.equal(["description"]);
      const outputs = await api.update(T.app, "updatable", app.id, app.outputs, { ...app.inputs, description: "new" });
      expect(outputs.description).to.equal("new");
    });

    it("deletes before replacing a resource whose name the program chose, as the bridge does", async function () {
      const role = await declare(api, T.role, "named", { name: "dcp-named-role", assumeRolePolicy: TRUST });
      const diff = await api.diff(T.role, "named", role.id, role.outputs, { ...role.inputs, name: "dcp-renamed-role" });
      expect(diff.getReplacesList()).to.deep.equal(["name"]);
      expect(diff.getDeletebeforereplace()).to.equal(true);
    });

    it("sees a change of default tags as an update of tagsAll on every tagged resource", async function () {
      const app = await application("retagged");
      const diff = await api.diff(T.app, "retagged", app.id, { ...app.outputs, tagsAll: { owner: "team-a" } }, app.inputs);
      expect(diff.getDiffsList()).to.deep.equal(["tagsAll"]);
      expect(diff.getReplacesList()).to.deep.equal([]);
    });

    it("ignores an equivalent JSON policy document", async function () {
      const role = await declare(api, T.role, "policy-json", { name: "dcp-json-role", assumeRolePolicy: TRUST });
      const reformatted = JSON.stringify(JSON.parse(TRUST), null, 2);
      const diff = await api.diff(T.role, "policy-json", role.id, role.outputs, { ...role.inputs, assumeRolePolicy: reformatted });
      expect(diff.getDiffsList()).to.deep.equal([]);
    });
  });

  describe("CloudWatch, IAM and SNS", function () {
    it("creates an alarm whose ARN is CloudWatch's own, notifying a topic", async function () {
      const topic = await declare(api, T.topic, "notifications", { name: "shop-beta-alarms" });
      expect(topic.id).to.equal(topic.outputs.arn);
      const alarm = await declare(api, T.alarm, "latency", { ...alarmArgs("shop-beta-latency"), alarmActions: [topic.id] });
      expect(alarm.id).to.equal("shop-beta-latency");
      expect(alarm.outputs.arn).to.equal(`arn:aws:cloudwatch:${REGION}:123456789012:alarm:shop-beta-latency`);
      expect(alarm.outputs.alarmActions).to.deep.equal([topic.id]);
    });

    it("ids a role policy `role:name` and reads the role's inline policies back", async function () {
      const role = await declare(api, T.role, "reader", { name: "dcp-reader", assumeRolePolicy: TRUST });
      const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["cloudwatch:DescribeAlarms"], Resource: ["*"] }] });
      const attached = await declare(api, T.policy, "describe", { role: role.id, name: "describe-stage-alarms", policy });
      expect(attached.id).to.equal("dcp-reader:describe-stage-alarms");
      const reread = await api.read(T.role, "reader", role.id, role.outputs);
      expect(reread.outputs.inlinePolicies).to.have.length(1);
    });
  });

  describe("credentials", function () {
    it("refuses its configuration with pulumi-aws's reason when no AWS keys are set, and configures nothing", async function () {
      const bare = await startPlugin({ AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "" });
      try {
        const bareApi = rpc(bare.client);
        const failures = await bareApi.checkConfigFailures(providerArgs(aws.endpoint));
        expect(failures).to.have.length(1);
        expect(failures[0]).to.match(/^No valid credential sources found\./);
        const error = await bareApi.configure(providerArgs(aws.endpoint)).then(() => undefined, (e: Error) => e);
        expect(error?.message).to.include("No valid credential sources found");
      } finally {
        await bare.stop();
      }
    });
  });

  describe("dcp's local-endpoint provider settings", function () {
    it("builds AppConfig ARNs with an empty account when it may neither validate credentials nor request the account id", async function () {
      const local = await startPlugin({ DCP_E2E_MINUTE_MS: String(MINUTE_MS) });
      try {
        const localApi = rpc(local.client);
        await localApi.configure(providerArgs(aws.endpoint, { skipCredentialsValidation: "true", skipRequestingAccountId: "true" }));
        const inputs = await localApi.check(T.app, "no-account", { name: "no-account" });
        const error = await localApi.create(T.app, "no-account", inputs).then(() => undefined, (e: Error) => e);
        // The tags read goes to `arn:aws:appconfig:REGION::application/ID`, which AppConfig does not know.
        expect(error?.message).to.match(/reading|creating/);
        expect(error?.message).to.include("ResourceNotFoundException");
      } finally {
        await local.stop();
      }
    });
  });
});
