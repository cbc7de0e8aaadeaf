/**
 * Where in envs/ a policy violation comes from. A policy judges the resources the program
 * declares, but a person fixes a value in a stage file: each violation is traced back to
 * the stage-file entry that produced the resource, and the same finding on every stack of
 * a stage (one value, many regions) is reported once, with the stacks it holds on.
 */
import * as path from "node:path";
import type { Envs } from "../config/model";
import { positionOf, readYamlFile, type JsonPath } from "../config/source";
import type { PolicyViolation } from "../pipeline/ports";

export interface ViolationFinding {
  /** The first of the identical violations; the others differ only in their stack. */
  violation: PolicyViolation;
  stacks: string[];
  /** The stage-file entry behind the resource, when the resource comes from one. */
  source?: { file: string; line: number; col: number };
}

/** `type::name` of the resource a violation names, from a URN or the offline evaluator's `type::name`. */
export function resourceOf(resource: string | undefined): { type: string; name: string } | undefined {
  if (resource === undefined) return undefined;
  const parts = resource.split("::");
  const name = parts.at(-1) ?? "";
  const typePart = resource.startsWith("urn:") ? (parts.at(-2) ?? "") : (parts[0] ?? "");
  return { type: typePart.split("$").at(-1) ?? typePart, name };
}

/** The stage-file path that a resource of the program is declared from. */
export function stageFilePathOf(resource: { type: string; name: string }, alarmNames: string[]): JsonPath | undefined {
  switch (resource.type) {
    case "aws:appconfig/deploymentStrategy:DeploymentStrategy":
      return ["rollout"];
    case "aws:cloudwatch/metricAlarm:MetricAlarm": {
      const index = alarmNames.indexOf(resource.name);
      return index >= 0 ? ["alarms", index] : ["alarms"];
    }
    case "aws:appconfig/environment:Environment":
    case "aws:iam/role:Role":
    case "aws:iam/rolePolicy:RolePolicy":
    case "aws:sns/topic:Topic":
      return ["alarms"];
    case "aws:appconfig/configurationProfile:ConfigurationProfile":
    case "aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion": {
      // Hosted versions are named `<profile>-<content hash>`; profiles by their own name.
      const profile = resource.name.replace(/-[0-9a-f]{12}$/, "");
      return profile === "feature-flags" ? ["flags"] : ["config", profile];
    }
    default:
      return undefined;
  }
}

export async function locateViolations(envs: Envs, violations: PolicyViolation[]): Promise<ViolationFinding[]> {
  const findings = new Map<string, ViolationFinding>();
  // Each stage file is parsed once, however many findings point into it.
  const sources = new Map<string, ReturnType<typeof readYamlFile>>();
  const sourceOf = (stage: Envs["stages"][number]) => {
    let parsed = sources.get(stage.name);
    if (!parsed) sources.set(stage.name, (parsed = readYamlFile(path.join(envs.dir, `${stage.name}.yaml`), stage.file)));
    return parsed;
  };
  for (const violation of violations) {
    const stage = envs.stages.find((s) => violation.stack === s.name || violation.stack.startsWith(`${s.name}-`));
    const resource = resourceOf(violation.resource);
    const key = JSON.stringify([stage?.name, violation.policy, violation.level, resource?.type, resource?.name, violation.message]);
    const known = findings.get(key);
    if (known) {
      known.stacks.push(violation.stack);
      continue;
    }
    const finding: ViolationFinding = { violation, stacks: [violation.stack] };
    const where = stage && resource ? stageFilePathOf(resource, (stage.definition.alarms ?? []).map((alarm) => alarm.name)) : undefined;
    if (stage && where) {
      const parsed = await sourceOf(stage);
      if (parsed.source) finding.source = { file: stage.file, ...positionOf(parsed.source, where) };
    }
    findings.set(key, finding);
  }
  return [...findings.values()];
}
