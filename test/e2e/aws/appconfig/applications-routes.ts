// Applications and environments: botocore appconfig/2019-10-09 operations
// Create/Get/Update/Delete/ListApplication(s) and …Environment(s).
import type { Context } from "./context";
import { badRequest, conflict } from "./errors";
import { json, jsonBody, noContent, page, requiredStr, str, tagMap, type Router } from "./http";
import { inProgress } from "./lifecycle";
import type { Application, Environment, Monitor, RegionState } from "./store";

const applicationView = (a: Application): Application => ({ Id: a.Id, Name: a.Name, Description: a.Description });

function environmentView(e: Environment): Record<string, unknown> {
  return { ApplicationId: e.ApplicationId, Id: e.Id, Name: e.Name, Description: e.Description, State: e.State, Monitors: e.Monitors };
}

function monitors(body: Record<string, unknown>): Monitor[] | undefined {
  const value = body.Monitors;
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length > 5) throw badRequest("Monitors must be a list of at most 5 monitors");
  return value.map((m: unknown) => {
    const monitor = (m ?? {}) as Record<string, unknown>;
    const AlarmArn = requiredStr(monitor, "AlarmArn");
    const AlarmRoleArn = str(monitor, "AlarmRoleArn");
    return AlarmRoleArn ? { AlarmArn, AlarmRoleArn } : { AlarmArn };
  });
}

export const applicationArn = (state: RegionState, id: string): string => state.arn(`application/${id}`);
export const environmentArn = (state: RegionState, e: Environment): string =>
  state.arn(`application/${e.ApplicationId}/environment/${e.Id}`);

export function addApplicationRoutes(router: Router, ctx: Context): void {
  const state = (region: string): RegionState => ctx.regions.get(region);

  router
    .add("POST", "/applications", (req) => {
      const body = jsonBody(req);
      const s = state(req.region);
      const app: Application = { Id: s.newId(), Name: requiredStr(body, "Name"), Description: str(body, "Description") };
      s.applications.set(app.Id, app);
      s.tags.set(applicationArn(s, app.Id), tagMap(body));
      return json(201, applicationView(app));
    })
    .add("GET", "/applications", (req) => json(200, page([...state(req.region).applications.values()].map(applicationView), req.query)))
    .add("GET", "/applications/{app}", (req, p) => json(200, applicationView(state(req.region).application(p.app ?? ""))))
    .add("PATCH", "/applications/{app}", (req, p) => {
      const app = state(req.region).application(p.app ?? "");
      const body = jsonBody(req);
      app.Name = str(body, "Name") ?? app.Name;
      app.Description = str(body, "Description") ?? app.Description;
      return json(200, applicationView(app));
    })
    .add("DELETE", "/applications/{app}", (req, p) => {
      const s = state(req.region);
      const app = s.application(p.app ?? "");
      for (const [id, e] of s.environments) if (e.ApplicationId === app.Id) s.environments.delete(id);
      for (const [id, profile] of s.profiles) if (profile.ApplicationId === app.Id) s.profiles.delete(id);
      s.dropTags(applicationArn(s, app.Id));
      s.applications.delete(app.Id);
      return noContent;
    })
    .add("POST", "/applications/{app}/environments", (req, p) => {
      const s = state(req.region);
      const app = s.application(p.app ?? "");
      const body = jsonBody(req);
      const environment: Environment = {
        ApplicationId: app.Id,
        Id: s.newId(),
        Name: requiredStr(body, "Name"),
        Description: str(body, "Description"),
        State: "READY_FOR_DEPLOYMENT",
        Monitors: monitors(body) ?? [],
        deployments: [],
        deployed: new Map(),
      };
      s.environments.set(environment.Id, environment);
      s.tags.set(environmentArn(s, environment), tagMap(body));
      return json(201, environmentView(environment));
    })
    .add("GET", "/applications/{app}/environments", (req, p) => {
      const s = state(req.region);
      s.application(p.app ?? "");
      const environments = [...s.environments.values()].filter((e) => e.ApplicationId === p.app);
      for (const e of environments) ctx.lifecycle.advance(e, ctx.now());
      return json(200, page(environments.map(environmentView), req.query));
    })
    .add("GET", "/applications/{app}/environments/{env}", (req, p) => {
      const environment = state(req.region).environment(p.app ?? "", p.env ?? "");
      ctx.lifecycle.advance(environment, ctx.now());
      return json(200, environmentView(environment));
    })
    .add("PATCH", "/applications/{app}/environments/{env}", (req, p) => {
      const environment = state(req.region).environment(p.app ?? "", p.env ?? "");
      const body = jsonBody(req);
      environment.Name = str(body, "Name") ?? environment.Name;
      environment.Description = str(body, "Description") ?? environment.Description;
      environment.Monitors = monitors(body) ?? environment.Monitors;
      ctx.lifecycle.advance(environment, ctx.now());
      return json(200, environmentView(environment));
    })
    .add("DELETE", "/applications/{app}/environments/{env}", (req, p) => {
      const s = state(req.region);
      const environment = s.environment(p.app ?? "", p.env ?? "");
      ctx.lifecycle.advance(environment, ctx.now());
      // The model lists ConflictException for DeleteEnvironment; a deployment in flight is
      // the state conflict we can tell.
      if (inProgress(environment)) throw conflict(`Environment ${environment.Id} has a deployment in progress`);
      s.environments.delete(environment.Id);
      s.dropTags(environmentArn(s, environment));
      return noContent;
    });
}

