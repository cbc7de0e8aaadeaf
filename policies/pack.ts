import type { EnforcementLevel, Policies } from "@pulumi/policy";
import { alarmEvaluationSane, alarmHasActions, environmentHasAlarmMonitors } from "./cloudwatch";
import { featureFlagsValidFormat, noExpiredFlagsInProduction } from "./feature-flags";
import { iamNoWildcards, iamRoleTrustsOnlyServices } from "./iam";
import {
  componentConfigMatchesSchema,
  componentProfileHasSchemaValidator,
  noDebugLoggingInProduction,
  operationalLimitsInBounds,
} from "./operational-config";
import { noAllAtOnceRolloutInProduction, productionRolloutBakes } from "./rollout";
import { noSecretsInConfiguration } from "./secrets";
import { requiredTags } from "./tagging";

/**
 * The pack's contents, apart from `new PolicyPack(…)` in index.ts: constructing the pack
 * starts the analyzer server, so dcp's offline evaluation imports this list instead.
 */
export const PACK_NAME = "dcp-policies";

/** Without config (a bare `pulumi preview --policy-pack policies`), violations block. */
export const PACK_ENFORCEMENT: EnforcementLevel = "mandatory";

export const POLICIES: Policies = [
  noDebugLoggingInProduction,
  operationalLimitsInBounds,
  componentConfigMatchesSchema,
  componentProfileHasSchemaValidator,
  featureFlagsValidFormat,
  noExpiredFlagsInProduction,
  environmentHasAlarmMonitors,
  alarmHasActions,
  alarmEvaluationSane,
  productionRolloutBakes,
  noAllAtOnceRolloutInProduction,
  requiredTags,
  iamNoWildcards,
  iamRoleTrustsOnlyServices,
  noSecretsInConfiguration,
];
