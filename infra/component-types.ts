/**
 * Type tokens of the program's own components. The strict mocks accept exactly these
 * besides the AWS types, so a component renamed here cannot go unnoticed there.
 */
export const COMPONENT_TYPES = {
  alarms: "dcp:infra:StageAlarms",
  application: "dcp:appconfig:ConfigApplication",
  environment: "dcp:appconfig:MonitoredEnvironment",
  profiles: "dcp:appconfig:ConfigProfiles",
  deployments: "dcp:appconfig:ProfileDeployments",
} as const;
