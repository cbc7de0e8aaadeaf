/**
 * Recognises, in what the Pulumi CLI and the AWS provider print, the failures that mean
 * the machine is not set up (no backend login, an unreachable backend, a wrong
 * passphrase, missing or expired AWS credentials), and says what to set. Each pattern
 * is the text of the component that prints it, at the version named.
 */
import { AWS_CREDENTIALS_ADVICE, SetupError } from "../errors";

interface Recognised {
  problem: SetupError["problem"];
  pattern: RegExp;
  advice: string;
}

const PASSPHRASE_ADVICE =
  "the stacks' secrets are encrypted with another passphrase: set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) to the passphrase the stacks were created with";


const RECOGNISED: readonly Recognised[] = [
  // pulumi/pulumi pkg/backend/backenderr/backenderr.go: MissingEnvVarForNonInteractiveError.
  {
    problem: "backend-login",
    pattern: /PULUMI_ACCESS_TOKEN must be set for login/,
    advice: "the state backend needs a login: set PULUMI_ACCESS_TOKEN (or run `pulumi login` with envs/pipeline.yaml's `state`)",
  },
  // pulumi/pulumi pkg/secrets/passphrase/manager.go: ErrIncorrectPassphrase ("incorrect passphrase", also
  // inside errorCrypter's "failed to decrypt: incorrect passphrase, please set …") and readPassphrase.
  { problem: "passphrase", pattern: /incorrect passphrase|passphrase must be set with PULUMI_CONFIG_PASSPHRASE/, advice: PASSPHRASE_ADVICE },
  // pulumi-aws provider/resources.go validateCredentials, provider/errors/*.txt: the reasons its
  // CheckConfig/Configure report; "unable to validate AWS credentials" wraps every other case (e.g. ExpiredToken).
  {
    problem: "aws-credentials",
    pattern:
      /No valid credential sources found|The configured AWS credentials are invalid or have expired|Failed to refresh cached SSO credentials|unable to validate AWS credentials/,
    advice: AWS_CREDENTIALS_ADVICE,
  },
  // pulumi/pulumi httpstate (`performing HTTP request: …/api/user`) and diy over gocloud blob
  // (`read ".pulumi/meta.yaml": blob (key …)`, `unable to open bucket`): the backend cannot be read.
  {
    problem: "backend-unreachable",
    pattern: /performing HTTP request|read "\.pulumi\/meta\.yaml"|blob \(key |unable to open bucket/,
    advice:
      "the state backend cannot be reached: check envs/pipeline.yaml's `state` URL, the network, and the backend's credentials (AWS credentials that may read the bucket for s3://)",
  },
];

/** A SetupError when `text` (stderr or the engine's diagnostics) shows one of the problems above. */
export function setupProblem(text: string): SetupError | undefined {
  for (const { problem, pattern, advice } of RECOGNISED) {
    const line = text.split("\n").find((candidate) => pattern.test(candidate));
    if (line !== undefined) return new SetupError(problem, `${advice}. The engine said: ${line.trim().replace(/^error: /, "")}`);
  }
  return undefined;
}
