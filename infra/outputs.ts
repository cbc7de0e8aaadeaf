/**
 * What one stack exports after an update: everything the bake, status and rollback
 * need. A plain type (no Pulumi import) so that the pipeline core can use it.
 */
export interface StackOutputs {
  releaseId: string;
  applicationId: string;
  environmentId: string;
  /** AppConfig configuration profile id per profile name ("feature-flags", then one per component). */
  profileIds: Record<string, string>;
  /** Content hash per profile, as deployed by this update. */
  contentHashes: Record<string, string>;
  /** AppConfig deployment number per profile deployed by this update (unchanged profiles are absent). */
  deploymentNumbers: Record<string, number>;
  deploymentStrategyId: string;
  alarmNames: string[];
  alarmArns: string[];
}
