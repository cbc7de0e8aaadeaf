/**
 * The policies that guard the accounts rather than the configuration: an over-broad IAM
 * grant or a secret in plain sight. They are mandatory in every stage, and stay so in a
 * rollback, which relaxes only the configuration rules (cli/pipeline/restore.ts).
 */
export const SECURITY_POLICIES: readonly string[] = ["iam-no-wildcards", "iam-role-trusts-only-services", "no-secrets-in-configuration"];
