import { hostname, userInfo } from "node:os";
import type { LeaseHolder } from "../pipeline/ports";

/** This process as a stage lease names it: who, where, which command, which CI run. */
export function leaseHolder(argv: string[], env: NodeJS.ProcessEnv = process.env): LeaseHolder {
  const ciRunUrl = ciRunUrlOf(env);
  return {
    who: `${userName(env)}@${hostname()}`,
    pid: process.pid,
    command: argv.map((arg) => (/[\s"]/.test(arg) ? JSON.stringify(arg) : arg)).join(" "),
    ...(ciRunUrl !== undefined && { ciRunUrl }),
  };
}

function userName(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username;
  } catch {
    return env["USER"] ?? env["USERNAME"] ?? "unknown";
  }
}

function ciRunUrlOf(env: NodeJS.ProcessEnv): string | undefined {
  const github = env["GITHUB_SERVER_URL"] && env["GITHUB_REPOSITORY"] && env["GITHUB_RUN_ID"];
  if (github) return `${env["GITHUB_SERVER_URL"]}/${env["GITHUB_REPOSITORY"]}/actions/runs/${env["GITHUB_RUN_ID"]}`;
  return env["CI_JOB_URL"] ?? env["CODEBUILD_BUILD_URL"] ?? env["BUILDKITE_BUILD_URL"] ?? env["BUILD_URL"];
}
