/**
 * The environment variables that carry dcp's own authority: AWS credentials (and
 * whatever points at them), Pulumi's passphrase and token, and the GitHub Actions OIDC
 * request variables that mint a token for the deploy role. No child process that runs
 * a workload's code (a verify command) may see them, and no output may show their values.
 */
import { isSecretKey } from "../policies/secret-patterns";

/** As a regular expression source, for the stage-file schema as well as for code. AWS_REGION and AWS_DEFAULT_REGION are not credentials. */
export const CREDENTIAL_VARIABLE_SOURCE = "AWS_(?!REGION$|DEFAULT_REGION$)|PULUMI_|ACTIONS_|GITHUB_TOKEN$";

const CREDENTIAL_VARIABLE = new RegExp(`^(${CREDENTIAL_VARIABLE_SOURCE})`);

export function isCredentialVariable(name: string): boolean {
  return CREDENTIAL_VARIABLE.test(name);
}

/**
 * The values to redact from output wherever they appear: those of every variable whose
 * name says it holds a secret (AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
 * PULUMI_CONFIG_PASSPHRASE, ACTIONS_ID_TOKEN_REQUEST_TOKEN, a workload's DB_PASSWORD).
 * Not AWS_PROFILE or PULUMI_HOME: redacting "default" or a path everywhere hides nothing.
 */
export function secretValuesOf(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([name, value]) => value !== undefined && value !== "" && isSecretKey(name))
    .map(([, value]) => value as string);
}
