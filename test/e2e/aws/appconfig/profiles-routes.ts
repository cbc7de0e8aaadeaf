// Configuration profiles and hosted configuration versions: botocore appconfig/2019-10-09
// …ConfigurationProfile(s) and …HostedConfigurationVersion(s). Hosted versions carry their
// content as the raw HTTP payload and their metadata in headers (Content-Type, Description,
// VersionLabel, Latest-Version-Number in; Version-Number, Application-Id, … out).
import type { Context } from "./context";
import { badRequest, conflict, notFound } from "./errors";
import { FEATURE_FLAGS, stampFeatureFlags } from "./feature-flags";
import { json, jsonBody, noContent, page, requiredStr, str, tagMap, type ApiRequest, type ApiResponse, type Router } from "./http";
import type { HostedVersion, Profile, RegionState, Validator } from "./store";
import { checkValidators, validateContent } from "./validation";

const HOSTED = "hosted";

function profileView(p: Profile): Record<string, unknown> {
  const { ApplicationId, Id, Name, Description, LocationUri, RetrievalRoleArn, Validators, Type } = p;
  return { ApplicationId, Id, Name, Description, LocationUri, RetrievalRoleArn, Validators, Type };
}

function summaryView(p: Profile): Record<string, unknown> {
  const { ApplicationId, Id, Name, LocationUri, Type } = p;
  return { ApplicationId, Id, Name, LocationUri, Type, ValidatorTypes: p.Validators.map((v) => v.Type) };
}

function validators(body: Record<string, unknown>): Validator[] | undefined {
  const value = body.Validators;
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length > 2) throw badRequest("Validators must be a list of at most 2 validators");
  const list = value.map((v: unknown) => {
    const validator = (v ?? {}) as Record<string, unknown>;
    return { Type: requiredStr(validator, "Type"), Content: str(validator, "Content") };
  });
  checkValidators(list);
  return list;
}

const versionHeaders = (p: Profile, v: HostedVersion): Record<string, string> => {
  const headers: Record<string, string> = {
    "Application-Id": p.ApplicationId,
    "Configuration-Profile-Id": p.Id,
    "Version-Number": String(v.VersionNumber),
    "Content-Type": v.ContentType,
  };
  if (v.Description !== undefined) headers.Description = v.Description;
  if (v.VersionLabel !== undefined) headers.VersionLabel = v.VersionLabel;
  return headers;
};

const summary = (p: Profile, v: HostedVersion): Record<string, unknown> => ({
  ApplicationId: p.ApplicationId,
  ConfigurationProfileId: p.Id,
  VersionNumber: v.VersionNumber,
  Description: v.Description,
  ContentType: v.ContentType,
  VersionLabel: v.VersionLabel,
});

export const profileArn = (s: RegionState, p: Profile): string => s.arn(`application/${p.ApplicationId}/configurationprofile/${p.Id}`);

function header(req: ApiRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function version(p: Profile, number: string): HostedVersion {
  const found = p.versions.find((v) => String(v.VersionNumber) === number);
  if (!found) throw notFound(`Hosted configuration version ${number} of ${p.Id} not found`, number);
  return found;
}

function createVersion(ctx: Context, req: ApiRequest, p: Profile): ApiResponse {
  if (p.LocationUri !== HOSTED) throw badRequest(`Configuration profile ${p.Id} is not hosted by AppConfig`);
  const contentType = header(req, "Content-Type");
  if (!contentType) throw badRequest("ContentType is required");
  const latest = header(req, "Latest-Version-Number");
  // Latest-Version-Number is AppConfig's optimistic lock (model doc of LatestVersionNumber).
  if (latest !== undefined && Number(latest) !== p.latestVersion) {
    throw conflict(`Latest version is ${p.latestVersion}, not ${latest}`);
  }
  const content = p.Type === FEATURE_FLAGS ? stampFeatureFlags(req.body, new Date(ctx.now())) : req.body;
  validateContent(p.Validators, content);
  p.latestVersion += 1;
  const created: HostedVersion = {
    VersionNumber: p.latestVersion,
    ContentType: contentType,
    Content: content,
    Description: header(req, "Description"),
    VersionLabel: header(req, "VersionLabel"),
  };
  p.versions.push(created);
  return { status: 201, headers: versionHeaders(p, created), body: created.Content };
}

export function addProfileRoutes(router: Router, ctx: Context): void {
  const state = (region: string): RegionState => ctx.regions.get(region);
  const base = "/applications/{app}/configurationprofiles";

  router
    .add("POST", base, (req, p) => {
      const s = state(req.region);
      const app = s.application(p.app ?? "");
      const body = jsonBody(req);
      const profile: Profile = {
        ApplicationId: app.Id,
        Id: s.newId(),
        Name: requiredStr(body, "Name"),
        Description: str(body, "Description"),
        LocationUri: requiredStr(body, "LocationUri"),
        RetrievalRoleArn: str(body, "RetrievalRoleArn"),
        Validators: validators(body) ?? [],
        Type: str(body, "Type") ?? "AWS.Freeform",
        versions: [],
        latestVersion: 0,
      };
      if (profile.Type !== FEATURE_FLAGS && profile.Type !== "AWS.Freeform") throw badRequest(`Unknown profile Type ${profile.Type}`);
      s.profiles.set(profile.Id, profile);
      s.tags.set(profileArn(s, profile), tagMap(body));
      return json(201, profileView(profile));
    })
    .add("GET", base, (req, p) => {
      const s = state(req.region);
      s.application(p.app ?? "");
      const type = req.query.get("type");
      const profiles = [...s.profiles.values()].filter((x) => x.ApplicationId === p.app && (!type || x.Type === type));
      return json(200, page(profiles.map(summaryView), req.query));
    })
    .add("GET", `${base}/{profile}`, (req, p) => json(200, profileView(state(req.region).profile(p.app ?? "", p.profile ?? ""))))
    .add("PATCH", `${base}/{profile}`, (req, p) => {
      const profile = state(req.region).profile(p.app ?? "", p.profile ?? "");
      const body = jsonBody(req);
      profile.Name = str(body, "Name") ?? profile.Name;
      profile.Description = str(body, "Description") ?? profile.Description;
      profile.RetrievalRoleArn = str(body, "RetrievalRoleArn") ?? profile.RetrievalRoleArn;
      profile.Validators = validators(body) ?? profile.Validators;
      return json(200, profileView(profile));
    })
    .add("DELETE", `${base}/{profile}`, (req, p) => {
      const s = state(req.region);
      const profile = s.profile(p.app ?? "", p.profile ?? "");
      // AWS refuses while hosted versions remain, with a BadRequestException, as reported
      // from AWS in pulumi/pulumi-aws#5675 and aws/aws-cdk#26804: clients delete the versions first.
      if (profile.versions.length > 0) {
        throw badRequest(`Cannot delete configuration profile ${profile.Id} because there are still hosted configuration versions existing under it.`);
      }
      s.profiles.delete(profile.Id);
      s.dropTags(profileArn(s, profile));
      return noContent;
    })
    .add("POST", `${base}/{profile}/hostedconfigurationversions`, (req, p) =>
      createVersion(ctx, req, state(req.region).profile(p.app ?? "", p.profile ?? "")),
    )
    .add("GET", `${base}/{profile}/hostedconfigurationversions`, (req, p) => {
      const profile = state(req.region).profile(p.app ?? "", p.profile ?? "");
      const label = req.query.get("version_label");
      const versions = [...profile.versions].reverse().filter((v) => !label || v.VersionLabel === label);
      return json(200, page(versions.map((v) => summary(profile, v)), req.query));
    })
    .add("GET", `${base}/{profile}/hostedconfigurationversions/{version}`, (req, p) => {
      const profile = state(req.region).profile(p.app ?? "", p.profile ?? "");
      const found = version(profile, p.version ?? "");
      return { status: 200, headers: versionHeaders(profile, found), body: found.Content };
    })
    .add("DELETE", `${base}/{profile}/hostedconfigurationversions/{version}`, (req, p) => {
      const profile = state(req.region).profile(p.app ?? "", p.profile ?? "");
      const found = version(profile, p.version ?? "");
      profile.versions = profile.versions.filter((v) => v !== found);
      return noContent;
    });
}
