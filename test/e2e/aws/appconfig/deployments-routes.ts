// StartDeployment / GetDeployment / ListDeployments / StopDeployment (botocore
// appconfig/2019-10-09). AWS allows one deployment in progress per environment: starting
// another while one is DEPLOYING or BAKING is a ConflictException (User Guide, "Deploying
// a configuration").
import type { Context } from "./context";
import { conflict, notFound } from "./errors";
import { json, jsonBody, num, page, requiredStr, str, tagMap, type ApiRequest, type Router } from "./http";
import { inProgress } from "./lifecycle";
import type { Deployment, Environment, RegionState } from "./store";
import { validateContent } from "./validation";

const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

function deploymentView(d: Deployment): Record<string, unknown> {
  const s = d.strategy;
  return {
    ApplicationId: d.ApplicationId,
    EnvironmentId: d.EnvironmentId,
    DeploymentStrategyId: s.Id,
    ConfigurationProfileId: d.ConfigurationProfileId,
    DeploymentNumber: d.DeploymentNumber,
    ConfigurationName: d.ConfigurationName,
    ConfigurationLocationUri: d.ConfigurationLocationUri,
    ConfigurationVersion: d.ConfigurationVersion,
    Description: d.Description,
    DeploymentDurationInMinutes: s.DeploymentDurationInMinutes,
    GrowthType: s.GrowthType,
    GrowthFactor: s.GrowthFactor,
    FinalBakeTimeInMinutes: s.FinalBakeTimeInMinutes,
    State: d.State,
    EventLog: d.EventLog,
    PercentageComplete: d.PercentageComplete,
    StartedAt: iso(d.startedMs),
    CompletedAt: iso(d.completedMs),
    VersionLabel: d.VersionLabel,
  };
}

const SUMMARY_FIELDS = [
  "DeploymentNumber",
  "ConfigurationName",
  "ConfigurationVersion",
  "DeploymentDurationInMinutes",
  "GrowthType",
  "GrowthFactor",
  "FinalBakeTimeInMinutes",
  "State",
  "PercentageComplete",
  "StartedAt",
  "CompletedAt",
  "VersionLabel",
];

// The model's DeploymentSummary shape: a subset of Deployment.
function summaryView(d: Deployment): Record<string, unknown> {
  const full = deploymentView(d);
  return Object.fromEntries(SUMMARY_FIELDS.map((key) => [key, full[key]]));
}

export const deploymentArn = (s: RegionState, d: Deployment): string =>
  s.arn(`application/${d.ApplicationId}/environment/${d.EnvironmentId}/deployment/${d.DeploymentNumber}`);

function start(ctx: Context, req: ApiRequest, s: RegionState, environment: Environment): Deployment {
  const body = jsonBody(req);
  const now = ctx.now();
  ctx.lifecycle.advance(environment, now);
  const running = inProgress(environment);
  if (running) throw conflict(`Deployment ${running.DeploymentNumber} is ${running.State} in environment ${environment.Id}`);
  const latest = num(body, "LatestDeploymentNumber");
  if (latest !== undefined && latest !== environment.deployments.length) {
    throw conflict(`Latest deployment number is ${environment.deployments.length}, not ${latest}`);
  }
  const strategy = s.strategy(requiredStr(body, "DeploymentStrategyId"));
  const profile = s.profile(environment.ApplicationId, requiredStr(body, "ConfigurationProfileId"));
  const versionNumber = requiredStr(body, "ConfigurationVersion");
  const version = profile.versions.find((v) => String(v.VersionNumber) === versionNumber);
  if (!version) throw notFound(`Hosted configuration version ${versionNumber} of ${profile.Id} not found`, versionNumber);
  // Validators run again at deployment (User Guide, "About validators"): they may have
  // changed since the version was stored.
  validateContent(profile.Validators, version.Content);
  const deployment: Deployment = {
    ApplicationId: environment.ApplicationId,
    EnvironmentId: environment.Id,
    DeploymentNumber: environment.deployments.length + 1,
    ConfigurationProfileId: profile.Id,
    ConfigurationName: profile.Name,
    ConfigurationLocationUri: profile.LocationUri,
    ConfigurationVersion: versionNumber,
    VersionLabel: version.VersionLabel,
    Description: str(body, "Description"),
    strategy: { ...strategy },
    State: "DEPLOYING",
    PercentageComplete: 0,
    startedMs: now,
    EventLog: [],
    target: {
      deploymentNumber: environment.deployments.length + 1,
      content: version.Content,
      contentType: version.ContentType,
      versionLabel: version.VersionLabel,
      profileType: profile.Type,
    },
    previous: environment.deployed.get(profile.Id),
  };
  s.tags.set(deploymentArn(s, deployment), tagMap(body));
  ctx.lifecycle.begin(environment, deployment, now);
  return deployment;
}

export function addDeploymentRoutes(router: Router, ctx: Context): void {
  const base = "/applications/{app}/environments/{env}/deployments";
  const environmentOf = (req: ApiRequest, p: Record<string, string>): [RegionState, Environment] => {
    const s = ctx.regions.get(req.region);
    const environment = s.environment(p.app ?? "", p.env ?? "");
    ctx.lifecycle.advance(environment, ctx.now());
    return [s, environment];
  };
  const deploymentOf = (environment: Environment, number: string): Deployment => {
    const found = environment.deployments.find((d) => String(d.DeploymentNumber) === number);
    if (!found) throw notFound(`Deployment ${number} not found in environment ${environment.Id}`, number);
    return found;
  };

  router
    .add("POST", base, (req, p) => {
      const [s, environment] = environmentOf(req, p);
      return json(201, deploymentView(start(ctx, req, s, environment)));
    })
    .add("GET", base, (req, p) => {
      const [, environment] = environmentOf(req, p);
      return json(200, page([...environment.deployments].reverse().map(summaryView), req.query));
    })
    .add("GET", `${base}/{number}`, (req, p) => {
      const [, environment] = environmentOf(req, p);
      return json(200, deploymentView(deploymentOf(environment, p.number ?? "")));
    })
    .add("DELETE", `${base}/{number}`, (req, p) => {
      const [, environment] = environmentOf(req, p);
      const deployment = deploymentOf(environment, p.number ?? "");
      const allowRevert = String(req.headers["allow-revert"] ?? "false") === "true";
      ctx.lifecycle.stop(environment, deployment, allowRevert, ctx.now());
      return json(202, deploymentView(deployment));
    });
}
