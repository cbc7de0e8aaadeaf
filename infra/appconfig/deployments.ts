import * as pulumi from "@pulumi/pulumi";
import { Deployment, DeploymentStrategy, type DeploymentStrategyArgs } from "@pulumi/aws/appconfig";
import { COMPONENT_TYPES } from "../component-types";
import type { Rollout } from "../stack-config";
import type { ProfileContent } from "./profile-contents";
import type { HostedProfile } from "./profiles";

export interface ProfileDeploymentsArgs {
  applicationId: pulumi.Input<string>;
  environmentId: pulumi.Input<string>;
  strategyName: string;
  rollout: Rollout;
  releaseId?: string;
  /** The one profile this update deploys, if any. */
  next?: ProfileContent;
  hosted: Record<string, HostedProfile>;
}

/**
 * The stage's deployment strategy and at most one AppConfig deployment: AppConfig refuses
 * to start a deployment to an environment while another is in progress (ConflictException),
 * and the provider's Deployment returns as soon as one has started. dcp applies a stack
 * as a sequence of updates, each deploying the next changed profile once the previous
 * deployment has completed (cli/pipeline/apply-stack.ts). A deployment is named after its
 * content, so new content is a new resource; deleting the old one only forgets it,
 * AppConfig keeps its history.
 */
export class ProfileDeployments extends pulumi.ComponentResource {
  readonly strategyId: pulumi.Output<string>;
  readonly deploymentNumbers: Record<string, pulumi.Output<number>> = {};

  constructor(name: string, args: ProfileDeploymentsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(COMPONENT_TYPES.deployments, name, {}, opts);
    const strategy = new DeploymentStrategy("strategy", deploymentStrategyArgs(args.strategyName, args.rollout), {
      parent: this,
    });
    this.strategyId = strategy.id;
    const content = args.next;
    if (content !== undefined) {
      const hosted = args.hosted[content.name];
      if (hosted === undefined) throw new Error(`profile ${content.name} is deployed but was never declared`);
      const deployment = new Deployment(
        deploymentName(content),
        {
          applicationId: args.applicationId,
          environmentId: args.environmentId,
          configurationProfileId: hosted.profileId,
          configurationVersion: hosted.versionNumber.apply(String),
          deploymentStrategyId: strategy.id,
          description: args.releaseId === undefined ? "dcp" : `dcp release ${args.releaseId}`,
          tags: { profile: content.name },
        },
        { parent: this },
      );
      this.deploymentNumbers[content.name] = deployment.deploymentNumber;
    }
    this.registerOutputs({ strategyId: this.strategyId, deploymentNumbers: this.deploymentNumbers });
  }
}

export function deploymentName(content: Pick<ProfileContent, "name" | "hash">): string {
  return `${content.name}-${content.hash.slice(0, 12)}`;
}

export function deploymentStrategyArgs(name: string, rollout: Rollout): DeploymentStrategyArgs {
  return {
    name,
    description: `${rollout.growthType} over ${rollout.durationMinutes} min, then ${rollout.finalBakeMinutes} min of bake`,
    deploymentDurationInMinutes: rollout.durationMinutes,
    growthType: rollout.growthType,
    growthFactor: rollout.growthFactor,
    finalBakeTimeInMinutes: rollout.finalBakeMinutes,
    // Hosted configurations live in AppConfig only; nothing to copy to an SSM document.
    replicateTo: "NONE",
  };
}
