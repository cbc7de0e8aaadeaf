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
  /** Content hash per profile, as hosted by this update: what the stack runs once every deployment has completed. */
  contentHashes: Record<string, string>;
  /**
   * Content hash per profile known to be deployed before this update: the deployment it
   * started is not in it (dcp reads that deployment's state to know whether it completed).
   * Absent from stacks released before dcp deployed one profile per update, whose
   * `contentHashes` were all deployed.
   */
  deployedContent?: Record<string, string>;
  /** The AppConfig deployment this update started, by profile: at most one, AppConfig runs one per environment at a time. */
  deploymentNumbers: Record<string, number>;
  deploymentStrategyId: string;
  alarmNames: string[];
  alarmArns: string[];
}
