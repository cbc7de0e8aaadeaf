import { UsageError } from "../errors";
import type { Envs } from "../config/model";
import { DEFAULT_STATE } from "../engine/workspace";
import { permissionsBoundaryArn } from "../../infra/names";
import { deployRolePolicy, permissionsBoundaryPolicy } from "./deploy-role";
import { monitorRolePolicy } from "./monitor-role";
import { pipelineRolePolicy, pipelineTrustPolicy } from "./pipeline-role";
import { partitionOf, type PolicyDocument, type StageScope } from "./policy-document";

/** Every IAM document a stage needs, and where each goes. */
export interface StageIam {
  stage: string;
  account: string;
  deployRole: { arn: string; policy: PolicyDocument };
  permissionsBoundary: { arn: string; name: string; policy: PolicyDocument };
  /** The bake's read-only role; without `monitorRole` in the stage file the bake uses the deploy role. */
  monitorRole: { arn?: string; policy: PolicyDocument };
  /** The role the CI job assumes through OIDC; its trust policy only with a GitHub repository. */
  pipelineRole: { policy: PolicyDocument; trustPolicy?: PolicyDocument };
  /** The Pulumi backend; only an S3 one is granted to the pipeline role. */
  state: string;
}

function stageScope(envs: Envs, stageName: string): StageScope {
  const stage = envs.stages.find((candidate) => candidate.name === stageName);
  if (stage === undefined) {
    throw new UsageError(`unknown stage "${stageName}"; envs/pipeline.yaml lists: ${envs.stages.map((s) => s.name).join(", ")}`);
  }
  const { account, role, waves } = stage.definition;
  return {
    workload: envs.pipeline.workload,
    stage: stageName,
    account,
    role,
    ...(stage.definition.monitorRole !== undefined && { monitorRole: stage.definition.monitorRole }),
    regions: waves.flatMap((wave) => wave.regions),
  };
}

export function stageIam(envs: Envs, stageName: string, githubRepo?: string): StageIam {
  if (githubRepo !== undefined && !/^[\w.-]+\/[\w.-]+$/.test(githubRepo)) {
    throw new UsageError(`--github-repo "${githubRepo}" is not owner/repo (the repository whose workflow assumes the pipeline role)`);
  }
  const scope = stageScope(envs, stageName);
  const boundaryArn = permissionsBoundaryArn(scope.role, scope.account, scope.workload);
  const state = envs.pipeline.state ?? DEFAULT_STATE;
  return {
    stage: stageName,
    account: scope.account,
    deployRole: { arn: scope.role, policy: deployRolePolicy(scope) },
    monitorRole: { ...(scope.monitorRole !== undefined && { arn: scope.monitorRole }), policy: monitorRolePolicy(scope) },
    permissionsBoundary: { arn: boundaryArn, name: boundaryArn.split("/").pop()!, policy: permissionsBoundaryPolicy(scope) },
    pipelineRole: {
      policy: pipelineRolePolicy(scope, state, envs.pipeline.secretsProvider),
      ...(githubRepo === undefined
        ? {}
        : {
            trustPolicy: pipelineTrustPolicy({
              pipelineAccount: scope.account,
              partition: partitionOf(scope.role),
              githubRepo,
              stage: stageName,
            }),
          }),
    },
    state,
  };
}
