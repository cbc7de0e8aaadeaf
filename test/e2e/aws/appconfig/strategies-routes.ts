// Deployment strategies: botocore appconfig/2019-10-09 …DeploymentStrategy/Strategies.
// Note the model's DeleteDeploymentStrategy URI really is `/deployementstrategies/{id}`.
import type { Context } from "./context";
import { badRequest } from "./errors";
import { json, jsonBody, noContent, num, page, requiredStr, str, tagMap, type Router } from "./http";
import type { RegionState, Strategy } from "./store";

const strategyView = (s: Strategy): Strategy => {
  const { Id, Name, Description, DeploymentDurationInMinutes, FinalBakeTimeInMinutes, GrowthFactor, GrowthType, ReplicateTo } = s;
  return { Id, Name, Description, DeploymentDurationInMinutes, FinalBakeTimeInMinutes, GrowthFactor, GrowthType, ReplicateTo };
};

// Ranges from the model: MinutesBetween0And24Hours (0–1440), GrowthFactor (1–100).
function minutes(body: Record<string, unknown>, key: string): number | undefined {
  const value = num(body, key);
  if (value !== undefined && (!Number.isInteger(value) || value < 0 || value > 1440)) throw badRequest(`${key} must be 0–1440`);
  return value;
}

function growthFactor(body: Record<string, unknown>): number | undefined {
  const value = num(body, "GrowthFactor");
  if (value !== undefined && (value < 1 || value > 100)) throw badRequest("GrowthFactor must be 1–100");
  return value;
}

function growthType(body: Record<string, unknown>): Strategy["GrowthType"] | undefined {
  const value = str(body, "GrowthType");
  if (value !== undefined && value !== "LINEAR" && value !== "EXPONENTIAL") throw badRequest(`Unknown GrowthType ${value}`);
  return value;
}

export const strategyArn = (s: RegionState, id: string): string => s.arn(`deploymentstrategy/${id}`);

export function addStrategyRoutes(router: Router, ctx: Context): void {
  const state = (region: string): RegionState => ctx.regions.get(region);

  router
    .add("POST", "/deploymentstrategies", (req) => {
      const s = state(req.region);
      const body = jsonBody(req);
      const duration = minutes(body, "DeploymentDurationInMinutes");
      const factor = growthFactor(body);
      if (duration === undefined || factor === undefined) throw badRequest("DeploymentDurationInMinutes and GrowthFactor are required");
      const strategy: Strategy = {
        Id: s.newId(),
        Name: requiredStr(body, "Name"),
        Description: str(body, "Description"),
        DeploymentDurationInMinutes: duration,
        FinalBakeTimeInMinutes: minutes(body, "FinalBakeTimeInMinutes") ?? 0,
        GrowthFactor: factor,
        GrowthType: growthType(body) ?? "LINEAR",
        ReplicateTo: str(body, "ReplicateTo") ?? "NONE",
      };
      s.strategies.set(strategy.Id, strategy);
      s.tags.set(strategyArn(s, strategy.Id), tagMap(body));
      return json(201, strategyView(strategy));
    })
    .add("GET", "/deploymentstrategies", (req) => json(200, page([...state(req.region).strategies.values()].map(strategyView), req.query)))
    .add("GET", "/deploymentstrategies/{id}", (req, p) => json(200, strategyView(state(req.region).strategy(p.id ?? ""))))
    .add("PATCH", "/deploymentstrategies/{id}", (req, p) => {
      const strategy = state(req.region).strategy(p.id ?? "");
      if (strategy.Id.startsWith("AppConfig.")) throw badRequest("Predefined deployment strategies cannot be changed");
      const body = jsonBody(req);
      strategy.Description = str(body, "Description") ?? strategy.Description;
      strategy.DeploymentDurationInMinutes = minutes(body, "DeploymentDurationInMinutes") ?? strategy.DeploymentDurationInMinutes;
      strategy.FinalBakeTimeInMinutes = minutes(body, "FinalBakeTimeInMinutes") ?? strategy.FinalBakeTimeInMinutes;
      strategy.GrowthFactor = growthFactor(body) ?? strategy.GrowthFactor;
      strategy.GrowthType = growthType(body) ?? strategy.GrowthType;
      return json(200, strategyView(strategy));
    })
    .add("DELETE", "/deployementstrategies/{id}", (req, p) => {
      const s = state(req.region);
      const strategy = s.strategy(p.id ?? "");
      if (strategy.Id.startsWith("AppConfig.")) throw badRequest("Predefined deployment strategies cannot be deleted");
      s.strategies.delete(strategy.Id);
      s.dropTags(strategyArn(s, strategy.Id));
      return noContent;
    });
}
