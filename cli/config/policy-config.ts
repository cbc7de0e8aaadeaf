import type { EnforcementLevel } from "@pulumi/policy";
import { DEFAULT_LIMITS } from "../../policies/operational-config";
import type { PolicyPackConfig } from "../pipeline/ports";
import type { Envs, Wave } from "./model";

/**
 * The policy pack config for one stage, generated from envs/: the same config gates
 * `dcp validate` and the real preview. Everything a policy needs to know about the
 * stage (is it production, which bounds apply) is here, so no policy ever looks at a
 * stack name.
 */

export interface PolicyConfigOptions {
  /** YYYY-MM-DD to judge flag expiry on; defaults to today (UTC) at evaluation time. */
  today?: string;
}

/** Top-level sections of a component schema whose numeric bounds are operational limits. */
const LIMIT_SECTIONS = /throttl|connection|limit|rate|pool|concurrency/i;

/**
 * Strict stages fail on every rule: production stages, and the stage right before the
 * first of them (gamma: production-like, the last place to catch a problem). Earlier
 * stages get warnings for the rules about how a stage is run, so people can iterate.
 */
export function isStrictStage(envs: Envs, stage: string): boolean {
  const order = envs.pipeline.stages;
  // Stryker disable next-line ArrayDeclaration: a list holding only a string that is no stage name (stage names are lower-case words) decides like an empty one
  const production = envs.pipeline.production ?? [];
  if (production.includes(stage)) return true;
  const firstProduction = order.findIndex((name) => production.includes(name));
  // With no production stage the last stage guards; with production first, none does (order[-1] is undefined).
  const guard = firstProduction === -1 ? order.at(-1) : order[firstProduction - 1];
  return guard === stage;
}

interface Bounds {
  minimum?: number;
  maximum?: number;
}

function boundsIn(schema: unknown, path: string, into: Record<string, Bounds>): void {
  // A schema that is not an object (null, or a boolean in later drafts) has no bounds and no properties.
  const { minimum, maximum, properties } = (schema ?? {}) as { minimum?: unknown; maximum?: unknown; properties?: Record<string, unknown> };
  if (typeof minimum === "number" || typeof maximum === "number") {
    into[path] = { ...(typeof minimum === "number" && { minimum }), ...(typeof maximum === "number" && { maximum }) };
  }
  for (const [key, child] of Object.entries(properties ?? {})) boundsIn(child, `${path}.${key}`, into);
}

/** The limit bounds of one component: its schema's, where it sets them, else dcp's defaults. */
export function limitsFromSchema(schema: Record<string, unknown> | undefined): Record<string, Bounds> {
  const limits: Record<string, Bounds> = { ...DEFAULT_LIMITS };
  const properties = (schema?.properties ?? {}) as Record<string, unknown>;
  for (const [section, child] of Object.entries(properties)) {
    if (LIMIT_SECTIONS.test(section)) boundsIn(child, section, limits);
  }
  return limits;
}

/** The shortest bake of the stage's waves: an alarm slower than that cannot stop a wave. */
function shortestBake(waves: Wave[]): number | undefined {
  const bakes = waves.map((wave) => wave.bakeMinutes).filter((minutes) => minutes > 0);
  return bakes.length > 0 ? Math.min(...bakes) : undefined;
}

export function policyConfigFor(envs: Envs, stage: string, options: PolicyConfigOptions = {}): PolicyPackConfig {
  const definition = envs.stages.find((s) => s.name === stage)?.definition;
  if (definition === undefined) throw new Error(`unknown stage "${stage}"`);
  // Stryker disable next-line ArrayDeclaration: a list holding only a string that is no stage name (stage names are lower-case words) decides like an empty one
  const production = (envs.pipeline.production ?? []).includes(stage);
  const stageLevel: EnforcementLevel = isStrictStage(envs, stage) ? "mandatory" : "advisory";
  // Rules whose breach is never acceptable, whatever the stage: it would leak, over-grant, or fail at AppConfig.
  const always: EnforcementLevel = "mandatory";
  const limits: Record<string, Record<string, Bounds>> = { "*": { ...DEFAULT_LIMITS } };
  for (const component of Object.keys(envs.pipeline.components)) limits[component] = limitsFromSchema(envs.schemas[component]);
  const expiries = Object.fromEntries(
    Object.entries(envs.pipeline.flags ?? {}).flatMap(([key, flag]) => (flag.expires !== undefined ? [[key, flag.expires]] : [])),
  );
  const bake = shortestBake(definition.waves);

  return {
    "no-debug-logging-in-production": { enforcementLevel: stageLevel, production },
    "operational-limits-in-bounds": { enforcementLevel: stageLevel, limits },
    "component-config-matches-schema": { enforcementLevel: always, schemas: envs.schemas },
    "component-profile-has-schema-validator": { enforcementLevel: always, schemas: envs.schemas },
    "feature-flags-valid-format": { enforcementLevel: always },
    "no-expired-flags-in-production": {
      enforcementLevel: stageLevel,
      production,
      expiries,
      ...(options.today !== undefined && { today: options.today }),
    },
    "environment-has-alarm-monitors": { enforcementLevel: stageLevel, minMonitors: 1 },
    "alarm-has-actions": { enforcementLevel: stageLevel },
    "alarm-evaluation-sane": { enforcementLevel: stageLevel, ...(bake !== undefined && { maxEvaluationMinutes: bake }) },
    "production-rollout-bakes": { enforcementLevel: stageLevel, production, minFinalBakeMinutes: 30 },
    "no-all-at-once-rollout-in-production": { enforcementLevel: stageLevel, production },
    "required-tags": {
      enforcementLevel: stageLevel,
      expectedValues: { workload: envs.pipeline.workload, stage, "managed-by": "dcp" },
    },
    "iam-no-wildcards": { enforcementLevel: always },
    "iam-role-trusts-only-services": { enforcementLevel: always },
    "no-secrets-in-configuration": { enforcementLevel: always },
  };
}
