/**
 * References to a secret store: what configuration should hold instead of a secret.
 * A reference must be well-formed as a whole, not merely start with a store's prefix:
 * `env:hunter22` or `ssm:<token>` is a secret with a prefix in front of it.
 */
const REFERENCES: RegExp[] = [
  // An ARN: partition, service, region (may be empty), account (or "aws" for AWS-managed), resource.
  /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}|aws|):[A-Za-z0-9_.:/+=@*-]+$/,
  // CloudFormation dynamic references.
  /^\{\{resolve:(ssm|ssm-secure|secretsmanager):[A-Za-z0-9_.:/+=@-]+\}\}$/,
  // An SSM parameter by its hierarchical name.
  /^ssm:\/[A-Za-z0-9_.-][A-Za-z0-9_./-]*$/,
  // A Secrets Manager secret by a path-like name.
  /^secretsmanager:[A-Za-z0-9_.+=@-]+\/[A-Za-z0-9_./+=@-]+(#[A-Za-z0-9_.-]+|)$/,
  // A Vault path (mount/…/secret), optionally one field of it.
  /^vault:[A-Za-z0-9_.-]+\/[A-Za-z0-9_./-]+(#[A-Za-z0-9_.-]+|)$/,
  // An environment variable, by the upper-case convention that tells it from a password.
  /^env:[A-Z_][A-Z0-9_]*$/,
];

/** True when the whole value is a reference to a secret store. */
export function isSecretReference(value: string): boolean {
  return REFERENCES.some((reference) => reference.test(value));
}
