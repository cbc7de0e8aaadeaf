import { Deployment, DeploymentStrategy } from "@pulumi/aws/appconfig";
import { validateResourceOfType, type PolicyConfigSchema, type ResourceValidationPolicy } from "@pulumi/policy";
import { configOf } from "./config";
import { knownOrUndefined } from "./unknowns";

/** Rollout: how fast a production stage's AppConfig deployments reach every host. */

const bakeSchema: PolicyConfigSchema = {
  properties: {
    production: { type: "boolean", default: false, description: "Whether this stage serves customers (pipeline.yaml `production`)" },
    // 30 minutes is the default of AWS Config's managed rule for AppConfig deployment strategies.
    minFinalBakeMinutes: { type: "integer", minimum: 0, default: 30 },
  },
};

export const productionRolloutBakes: ResourceValidationPolicy = {
  name: "production-rollout-bakes",
  description: "A production stage's deployment strategy keeps watching its alarms for a final bake of at least the minimum after reaching 100%.",
  enforcementLevel: "mandatory",
  configSchema: bakeSchema,
  validateResource: validateResourceOfType(DeploymentStrategy, (strategy, args, reportViolation) => {
    const { production, minFinalBakeMinutes } = configOf<{ production: boolean; minFinalBakeMinutes: number }>(bakeSchema, args);
    if (!production) return;
    const bake = strategy.finalBakeTimeInMinutes ?? 0;
    if (bake < minFinalBakeMinutes) {
      reportViolation(`final bake is ${bake} minutes; a production stage needs at least ${minFinalBakeMinutes} so alarms can stop a bad change.`);
    }
  }),
};

/** AppConfig's predefined strategies that reach every host at once. */
const ALL_AT_ONCE_STRATEGIES = ["AppConfig.AllAtOnce"];

const allAtOnceSchema: PolicyConfigSchema = {
  properties: {
    production: { type: "boolean", default: false, description: "Whether this stage serves customers (pipeline.yaml `production`)" },
    minDeploymentMinutes: { type: "integer", minimum: 0, default: 1, description: "Shortest deployment duration that still counts as gradual" },
  },
};

interface AllAtOnceConfig {
  production: boolean;
  minDeploymentMinutes: number;
}

export const noAllAtOnceRolloutInProduction: ResourceValidationPolicy = {
  name: "no-all-at-once-rollout-in-production",
  description: "A production stage never deploys configuration to all hosts at once: the change grows in steps, over time, with alarms watching.",
  enforcementLevel: "mandatory",
  configSchema: allAtOnceSchema,
  validateResource: [
    validateResourceOfType(DeploymentStrategy, (strategy, args, reportViolation) => {
      const { production, minDeploymentMinutes } = configOf<AllAtOnceConfig>(allAtOnceSchema, args);
      if (!production) return;
      if (strategy.growthFactor >= 100) {
        reportViolation(`growth factor ${strategy.growthFactor}% reaches every host in the first step; use a smaller step.`);
      }
      if (strategy.deploymentDurationInMinutes < minDeploymentMinutes) {
        reportViolation(
          `deployment duration is ${strategy.deploymentDurationInMinutes} minutes; spread a production rollout over at least ${minDeploymentMinutes}.`,
        );
      }
    }),
    validateResourceOfType(Deployment, (deployment, args, reportViolation) => {
      const { production } = configOf<AllAtOnceConfig>(allAtOnceSchema, args);
      // An id unknown at preview belongs to a strategy the stack creates, never a predefined one.
      const strategyId = knownOrUndefined(() => deployment.deploymentStrategyId);
      if (production && strategyId !== undefined && ALL_AT_ONCE_STRATEGIES.includes(strategyId)) {
        reportViolation(`deployment uses ${strategyId}; use the stage's gradual deployment strategy.`);
      }
    }),
  ],
};
