/**
 * The role session name of the bake's reads, as CloudTrail records it: it carries the CI run
 * (or, outside CI, this process), so a read in the account's trail leads back to the run
 * that made it. AWS allows 64 characters of `[\w+=,.@-]` (STS AssumeRole, RoleSessionName).
 */
const SESSION_NAME_MAX = 64;

export function runId(env: NodeJS.ProcessEnv = process.env, pid = process.pid): string {
  if (env["GITHUB_RUN_ID"]) return `gh${env["GITHUB_RUN_ID"]}.${env["GITHUB_RUN_ATTEMPT"] ?? "1"}`;
  if (env["CI_PIPELINE_ID"]) return `gl${env["CI_PIPELINE_ID"]}`;
  if (env["CODEBUILD_BUILD_NUMBER"]) return `cb${env["CODEBUILD_BUILD_NUMBER"]}`;
  if (env["BUILDKITE_BUILD_NUMBER"]) return `bk${env["BUILDKITE_BUILD_NUMBER"]}`;
  if (env["BUILD_NUMBER"]) return `jk${env["BUILD_NUMBER"]}`;
  return `local${pid}`;
}

export function bakeSessionName(workload: string, run: string): string {
  const safe = (text: string) => text.replace(/[^\w+=,.@-]/g, "-");
  const suffix = `-bake-${safe(run)}`.slice(0, SESSION_NAME_MAX - "dcp-".length - 1);
  return `dcp-${safe(workload)}`.slice(0, SESSION_NAME_MAX - suffix.length) + suffix;
}
