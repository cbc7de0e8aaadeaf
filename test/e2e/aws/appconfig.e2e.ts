// AppConfig control-plane resources, through the AWS SDK v3 client against startLocalAws().
// Each `it` is one row of FIDELITY.md.
import {
  AppConfigClient,
  CreateApplicationCommand,
  CreateConfigurationProfileCommand,
  CreateDeploymentStrategyCommand,
  CreateEnvironmentCommand,
  CreateHostedConfigurationVersionCommand,
  DeleteApplicationCommand,
  DeleteConfigurationProfileCommand,
  DeleteDeploymentStrategyCommand,
  DeleteEnvironmentCommand,
  DeleteHostedConfigurationVersionCommand,
  GetApplicationCommand,
  GetConfigurationProfileCommand,
  GetDeploymentStrategyCommand,
  GetEnvironmentCommand,
  GetHostedConfigurationVersionCommand,
  ListApplicationsCommand,
  ListConfigurationProfilesCommand,
  ListDeploymentStrategiesCommand,
  ListEnvironmentsCommand,
  ListHostedConfigurationVersionsCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateApplicationCommand,
  UpdateConfigurationProfileCommand,
  UpdateDeploymentStrategyCommand,
  UpdateEnvironmentCommand,
} from "@aws-sdk/client-appconfig";
import { expect } from "chai";
import { hostedProfile, hostVersion, rejection, REGION, useLocalAws } from "./fixtures";

const SCHEMA = JSON.stringify({ type: "object", properties: { limit: { type: "integer" } }, required: ["limit"] });

describe("local AppConfig: resources", () => {
  const h = useLocalAws(100);

  describe("applications", () => {
    it("creates, reads, updates, lists and deletes an application", async () => {
      const created = await h.appconfig.send(new CreateApplicationCommand({ Name: "orders", Description: "first" }));
      expect(created.Id).to.match(/^[a-z0-9]{4,7}$/);
      await h.appconfig.send(new UpdateApplicationCommand({ ApplicationId: created.Id, Description: "second" }));
      const read = await h.appconfig.send(new GetApplicationCommand({ ApplicationId: created.Id }));
      expect(read).to.include({ Name: "orders", Description: "second" });
      const listed = await h.appconfig.send(new ListApplicationsCommand({}));
      expect(listed.Items?.map((a) => a.Id)).to.include(created.Id);
      await h.appconfig.send(new DeleteApplicationCommand({ ApplicationId: created.Id }));
      const gone = await rejection(h.appconfig.send(new GetApplicationCommand({ ApplicationId: created.Id })));
      expect(gone.name).to.equal("ResourceNotFoundException");
    });

    it("pages List results with MaxResults and NextToken", async () => {
      for (const name of ["p1", "p2", "p3"]) await h.appconfig.send(new CreateApplicationCommand({ Name: name }));
      const first = await h.appconfig.send(new ListApplicationsCommand({ MaxResults: 2 }));
      expect(first.Items).to.have.length(2);
      const rest = await h.appconfig.send(new ListApplicationsCommand({ MaxResults: 50, NextToken: first.NextToken }));
      expect(rest.Items?.length).to.be.greaterThan(0);
      expect(rest.Items?.map((a) => a.Id)).not.to.include.members(first.Items?.map((a) => a.Id) ?? []);
    });

    it("keeps state per region", async () => {
      const created = await h.appconfig.send(new CreateApplicationCommand({ Name: "regional" }));
      const elsewhere = new AppConfigClient({
        endpoint: h.aws.endpoint,
        region: "us-east-2",
        credentials: { accessKeyId: "x", secretAccessKey: "y" },
      });
      const error = await rejection(elsewhere.send(new GetApplicationCommand({ ApplicationId: created.Id })));
      elsewhere.destroy();
      expect(error.name).to.equal("ResourceNotFoundException");
    });
  });

  describe("environments", () => {
    it("creates an environment with monitors, ready for deployment, and updates, lists, deletes it", async () => {
      const app = await h.appconfig.send(new CreateApplicationCommand({ Name: "envs" }));
      const monitor = { AlarmArn: `arn:aws:cloudwatch:${REGION}:123456789012:alarm:errors`, AlarmRoleArn: "arn:aws:iam::123456789012:role/appconfig" };
      const env = await h.appconfig.send(new CreateEnvironmentCommand({ ApplicationId: app.Id, Name: "beta", Monitors: [monitor] }));
      expect(env.State).to.equal("READY_FOR_DEPLOYMENT");
      expect(env.Monitors).to.deep.equal([monitor]);
      await h.appconfig.send(new UpdateEnvironmentCommand({ ApplicationId: app.Id, EnvironmentId: env.Id, Description: "d", Monitors: [] }));
      const read = await h.appconfig.send(new GetEnvironmentCommand({ ApplicationId: app.Id, EnvironmentId: env.Id }));
      expect(read).to.include({ Description: "d", Name: "beta" });
      expect(read.Monitors).to.deep.equal([]);
      const listed = await h.appconfig.send(new ListEnvironmentsCommand({ ApplicationId: app.Id }));
      expect(listed.Items?.map((e) => e.Id)).to.deep.equal([env.Id]);
      await h.appconfig.send(new DeleteEnvironmentCommand({ ApplicationId: app.Id, EnvironmentId: env.Id }));
      const gone = await rejection(h.appconfig.send(new GetEnvironmentCommand({ ApplicationId: app.Id, EnvironmentId: env.Id })));
      expect(gone.name).to.equal("ResourceNotFoundException");
    });

    it("refuses an environment in an unknown application with ResourceNotFoundException", async () => {
      const error = await rejection(h.appconfig.send(new CreateEnvironmentCommand({ ApplicationId: "nope123", Name: "x" })));
      expect(error.name).to.equal("ResourceNotFoundException");
    });
  });

  describe("configuration profiles", () => {
    it("creates FeatureFlags and Freeform profiles, filters List by type, updates and reads them", async () => {
      const app = await h.appconfig.send(new CreateApplicationCommand({ Name: "profiles" }));
      for (const Type of ["AWS.AppConfig.FeatureFlags", "AWS.Freeform"]) {
        await h.appconfig.send(new CreateConfigurationProfileCommand({ ApplicationId: app.Id, Name: Type, LocationUri: "hosted", Type }));
      }
      const flags = await h.appconfig.send(new ListConfigurationProfilesCommand({ ApplicationId: app.Id, Type: "AWS.AppConfig.FeatureFlags" }));
      expect(flags.Items?.map((p) => p.Type)).to.deep.equal(["AWS.AppConfig.FeatureFlags"]);
      const id = flags.Items?.[0]?.Id;
      await h.appconfig.send(new UpdateConfigurationProfileCommand({ ApplicationId: app.Id, ConfigurationProfileId: id, Description: "flags" }));
      const read = await h.appconfig.send(new GetConfigurationProfileCommand({ ApplicationId: app.Id, ConfigurationProfileId: id }));
      expect(read).to.include({ Description: "flags", LocationUri: "hosted", Type: "AWS.AppConfig.FeatureFlags" });
    });

    it("refuses a JSON_SCHEMA validator whose content is not a schema", async () => {
      const app = await h.appconfig.send(new CreateApplicationCommand({ Name: "bad-schema" }));
      const error = await rejection(
        h.appconfig.send(
          new CreateConfigurationProfileCommand({ ApplicationId: app.Id, Name: "p", LocationUri: "hosted", Validators: [{ Type: "JSON_SCHEMA", Content: "{not json" }] }),
        ),
      );
      expect(error.name).to.equal("BadRequestException");
    });

    it("refuses to delete a profile while hosted versions remain (BadRequestException), then deletes it", async () => {
      const hosted = await hostedProfile(h.appconfig);
      const version = await hostVersion(h.appconfig, hosted, { limit: 1 });
      const key = { ApplicationId: hosted.applicationId, ConfigurationProfileId: hosted.profileId };
      const error = await rejection(h.appconfig.send(new DeleteConfigurationProfileCommand(key)));
      expect(error.name).to.equal("BadRequestException");
      expect(error.message).to.include("still hosted configuration versions");
      await h.appconfig.send(new DeleteHostedConfigurationVersionCommand({ ...key, VersionNumber: Number(version) }));
      await h.appconfig.send(new DeleteConfigurationProfileCommand(key));
      const gone = await rejection(h.appconfig.send(new GetConfigurationProfileCommand(key)));
      expect(gone.name).to.equal("ResourceNotFoundException");
    });
  });

  describe("hosted configuration versions", () => {
    it("numbers versions per profile and returns content and header metadata", async () => {
      const hosted = await hostedProfile(h.appconfig);
      const other = await hostedProfile(h.appconfig);
      const key = { ApplicationId: hosted.applicationId, ConfigurationProfileId: hosted.profileId };
      expect(await hostVersion(h.appconfig, hosted, { limit: 1 })).to.equal("1");
      expect(await hostVersion(h.appconfig, other, { limit: 1 })).to.equal("1");
      const second = await h.appconfig.send(
        new CreateHostedConfigurationVersionCommand({ ...key, ContentType: "application/json", Content: Buffer.from('{"limit":2}'), Description: "two", VersionLabel: "v2", LatestVersionNumber: 1 }),
      );
      expect(second).to.include({ VersionNumber: 2, Description: "two", VersionLabel: "v2", ContentType: "application/json" });
      const read = await h.appconfig.send(new GetHostedConfigurationVersionCommand({ ...key, VersionNumber: 2 }));
      expect(JSON.parse(Buffer.from(read.Content ?? new Uint8Array()).toString())).to.deep.equal({ limit: 2 });
      const listed = await h.appconfig.send(new ListHostedConfigurationVersionsCommand(key));
      expect(listed.Items?.map((v) => v.VersionNumber)).to.have.members([1, 2]);
    });

    it("refuses a stale Latest-Version-Number with ConflictException", async () => {
      const hosted = await hostedProfile(h.appconfig);
      await hostVersion(h.appconfig, hosted, { limit: 1 });
      const error = await rejection(
        h.appconfig.send(
          new CreateHostedConfigurationVersionCommand({ ApplicationId: hosted.applicationId, ConfigurationProfileId: hosted.profileId, ContentType: "application/json", Content: Buffer.from("{}"), LatestVersionNumber: 0 }),
        ),
      );
      expect(error.name).to.equal("ConflictException");
    });

    it("refuses content that fails the profile's JSON_SCHEMA validator with BadRequestException", async () => {
      const hosted = await hostedProfile(h.appconfig, { validators: [{ Type: "JSON_SCHEMA", Content: SCHEMA }] });
      const error = await rejection(hostVersion(h.appconfig, hosted, { limit: "many" }));
      expect(error.name).to.equal("BadRequestException");
      expect(await hostVersion(h.appconfig, hosted, { limit: 3 })).to.equal("1");
    });

    it("adds _createdAt and _updatedAt to every flag and value of a FeatureFlags version", async () => {
      const hosted = await hostedProfile(h.appconfig, { type: "AWS.AppConfig.FeatureFlags" });
      const document = { version: "1", flags: { dark: { name: "dark" } }, values: { dark: { enabled: true } } };
      await hostVersion(h.appconfig, hosted, document);
      const read = await h.appconfig.send(
        new GetHostedConfigurationVersionCommand({ ApplicationId: hosted.applicationId, ConfigurationProfileId: hosted.profileId, VersionNumber: 1 }),
      );
      const stored = JSON.parse(Buffer.from(read.Content ?? new Uint8Array()).toString()) as Record<string, Record<string, Record<string, string>>>;
      for (const entry of [stored.flags?.dark, stored.values?.dark]) {
        expect(Date.parse(entry?._createdAt ?? "")).to.be.a("number").and.not.NaN;
        expect(entry?._updatedAt).to.equal(entry?._createdAt);
      }
    });
  });

  describe("deployment strategies", () => {
    it("lists AppConfig's predefined strategies", async () => {
      const listed = await h.appconfig.send(new ListDeploymentStrategiesCommand({}));
      expect(listed.Items?.map((s) => s.Id)).to.include.members(["AppConfig.AllAtOnce", "AppConfig.Linear50PercentEvery30Seconds"]);
    });

    it("creates, reads, updates and deletes a strategy", async () => {
      const created = await h.appconfig.send(
        new CreateDeploymentStrategyCommand({ Name: "slow", DeploymentDurationInMinutes: 10, GrowthFactor: 25, GrowthType: "EXPONENTIAL", FinalBakeTimeInMinutes: 5 }),
      );
      await h.appconfig.send(new UpdateDeploymentStrategyCommand({ DeploymentStrategyId: created.Id, FinalBakeTimeInMinutes: 7 }));
      const read = await h.appconfig.send(new GetDeploymentStrategyCommand({ DeploymentStrategyId: created.Id }));
      expect(read).to.include({ Name: "slow", DeploymentDurationInMinutes: 10, GrowthFactor: 25, GrowthType: "EXPONENTIAL", FinalBakeTimeInMinutes: 7 });
      await h.appconfig.send(new DeleteDeploymentStrategyCommand({ DeploymentStrategyId: created.Id }));
      const gone = await rejection(h.appconfig.send(new GetDeploymentStrategyCommand({ DeploymentStrategyId: created.Id })));
      expect(gone.name).to.equal("ResourceNotFoundException");
    });
  });

  describe("tags", () => {
    it("returns the tags a resource was created with, and tags and untags it", async () => {
      const app = await h.appconfig.send(new CreateApplicationCommand({ Name: "tagged", Tags: { team: "core" } }));
      const arn = `arn:aws:appconfig:${REGION}:123456789012:application/${app.Id}`;
      expect((await h.appconfig.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags).to.deep.equal({ team: "core" });
      await h.appconfig.send(new TagResourceCommand({ ResourceArn: arn, Tags: { tier: "1" } }));
      await h.appconfig.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ["team"] }));
      expect((await h.appconfig.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags).to.deep.equal({ tier: "1" });
    });

    it("answers ResourceNotFoundException for tags of an unknown ARN", async () => {
      const error = await rejection(h.appconfig.send(new ListTagsForResourceCommand({ ResourceArn: `arn:aws:appconfig:${REGION}:123456789012:application/none000` })));
      expect(error.name).to.equal("ResourceNotFoundException");
    });
  });
});
