// The AppConfig Data API (botocore appconfigdata/2021-11-11): StartConfigurationSession
// returns a token; GetLatestConfiguration returns the configuration and the token for the
// next poll, with an empty body when nothing changed since the token was issued (API
// reference, GetLatestConfiguration). Tokens here are stateless: they carry what they
// point at and which deployment the caller last saw.
import type { Context } from "./context";
import { badRequest, notFound } from "./errors";
import { FEATURE_FLAGS, retrievalView } from "./feature-flags";
import { json, jsonBody, num, requiredStr, type ApiResponse, type Router } from "./http";
import type { Environment, Profile, RegionState } from "./store";

interface Token {
  readonly region: string;
  readonly app: string;
  readonly env: string;
  readonly profile: string;
  readonly seen: number; // deployment number last returned, 0 for none
  readonly interval: number;
}

const encode = (token: Token): string => Buffer.from(JSON.stringify(token)).toString("base64url");

function decode(text: string | null): Token {
  try {
    return JSON.parse(Buffer.from(text ?? "", "base64url").toString("utf8")) as Token;
  } catch {
    throw badRequest("Invalid ConfigurationToken");
  }
}

// Identifiers may be ids or names (StartConfigurationSession request doc). Accounts are not
// modelled (FIDELITY.md), so two stages' applications of one name can share a region here:
// the one that has the environment and profile asked for is the caller's.
function resolve(s: RegionState, app: string, env: string, profile: string): [Environment, Profile] {
  const applications = [...s.applications.values()].filter((a) => a.Id === app || a.Name === app);
  if (applications.length === 0) throw notFound(`Application ${app} not found`, app);
  for (const application of applications) {
    const byIdOrName = <T extends { Id: string; Name: string; ApplicationId: string }>(items: Iterable<T>, key: string): T | undefined =>
      [...items].find((x) => x.ApplicationId === application.Id && (x.Id === key || x.Name === key));
    const environment = byIdOrName(s.environments.values(), env);
    const configurationProfile = byIdOrName(s.profiles.values(), profile);
    if (environment && configurationProfile) return [environment, configurationProfile];
  }
  throw notFound(`Environment ${env} with ConfigurationProfile ${profile} not found in application ${app}`, env);
}

export function addDataRoutes(router: Router, ctx: Context): void {
  router
    .add("POST", "/configurationsessions", (req) => {
      const body = jsonBody(req);
      const app = requiredStr(body, "ApplicationIdentifier");
      const env = requiredStr(body, "EnvironmentIdentifier");
      const profile = requiredStr(body, "ConfigurationProfileIdentifier");
      const interval = num(body, "RequiredMinimumPollIntervalInSeconds") ?? 60;
      const [environment, configurationProfile] = resolve(ctx.regions.get(req.region), app, env, profile);
      const token: Token = { region: req.region, app: environment.ApplicationId, env: environment.Id, profile: configurationProfile.Id, seen: 0, interval };
      return json(201, { InitialConfigurationToken: encode(token) });
    })
    .add("GET", "/configuration", (req): ApiResponse => {
      const token = decode(req.query.get("configuration_token"));
      if (token.region !== req.region) throw badRequest("ConfigurationToken belongs to another region");
      const [environment, profile] = resolve(ctx.regions.get(req.region), token.app, token.env, token.profile);
      const served = ctx.lifecycle.served(environment, profile.Id, ctx.now());
      const seen = served?.deploymentNumber ?? 0;
      const headers: Record<string, string> = {
        "Next-Poll-Configuration-Token": encode({ ...token, seen }),
        "Next-Poll-Interval-In-Seconds": String(token.interval),
      };
      if (!served || seen === token.seen) return { status: 200, headers, body: "" };
      const content = served.profileType === FEATURE_FLAGS ? retrievalView(served.content) : served.content;
      headers["Content-Type"] = served.contentType;
      if (served.versionLabel !== undefined) headers["Version-Label"] = served.versionLabel;
      return { status: 200, headers, body: content };
    });
}
