import { AppConfigClient } from "@aws-sdk/client-appconfig";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { IAMClient } from "@aws-sdk/client-iam";
import { SNSClient } from "@aws-sdk/client-sns";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity, InitializeMiddleware, MetadataBearer } from "@aws-sdk/types";
import { logCall, resourceOf } from "./call-log";
import type { ProviderConfig } from "./config";

/** What every resource operation needs: clients that reach the configured endpoint as the assumed role. */
export interface AwsSession {
  region: string;
  partition: string;
  /** The account in ARNs the provider builds itself: empty with skipRequestingAccountId, as in terraform-provider-aws. */
  arnAccount: string;
  defaultTags: Record<string, string>;
  /** ms per AWS minute, so that minutes-long waits of the real provider stay bounded in tests. */
  minuteMs: number;
  appconfig: AppConfigClient;
  cloudwatch: CloudWatchClient;
  iam: IAMClient;
  sns: SNSClient;
}

interface LoggableStack {
  add(middleware: InitializeMiddleware<object, MetadataBearer>, options: { step: "initialize"; name: string }): void;
}

type Client = AppConfigClient | CloudWatchClient | IAMClient | SNSClient | STSClient;

/**
 * Resolves credentials the way pulumi-aws does for dcp's stages: the ambient keys (here the
 * environment's, "test"/"test" by default), exchanged through STS AssumeRole for the stage's
 * role when one is configured. Done at Configure time, so a role that cannot be assumed fails
 * the provider's configuration as it does with the real one.
 */
export async function openSession(config: ProviderConfig): Promise<AwsSession> {
  const missing = missingCredentials(config);
  if (missing !== undefined) throw new Error(missing);
  const base: AwsCredentialIdentity = {
    accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? "",
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? "",
    ...(process.env.AWS_SESSION_TOKEN ? { sessionToken: process.env.AWS_SESSION_TOKEN } : {}),
  };
  const scope = { partition: "aws", region: config.region, account: "" };
  const make = <C extends Client>(Ctor: new (cfg: object) => C, service: string, credentials: AwsCredentialIdentity): C =>
    withCallLog(
      new Ctor({ region: config.region, credentials, endpoint: config.endpoints[service], maxAttempts: 3 }),
      service,
      scope,
    );

  let credentials = base;
  if (config.assumeRole !== undefined) {
    const sts = make(STSClient, "sts", base);
    const assumed = await sts.send(
      new AssumeRoleCommand({
        RoleArn: config.assumeRole.roleArn,
        RoleSessionName: config.assumeRole.sessionName || `aws-go-sdk-${Date.now()}`,
        ExternalId: config.assumeRole.externalId,
      }),
    );
    const c = assumed.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`cannot assume IAM Role ${config.assumeRole.roleArn}: no credentials`);
    credentials = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
    scope.account = accountOf(assumed.AssumedRoleUser?.Arn) ?? accountOf(config.assumeRole.roleArn) ?? "";
  }
  // The real provider calls GetCallerIdentity to validate credentials and to learn the account.
  if (!config.skipCredentialsValidation || !config.skipRequestingAccountId) {
    const identity = await make(STSClient, "sts", credentials).send(new GetCallerIdentityCommand({}));
    scope.account = identity.Account ?? scope.account;
  }
  return {
    region: config.region,
    partition: scope.partition,
    arnAccount: config.skipRequestingAccountId ? "" : scope.account,
    defaultTags: config.defaultTags,
    minuteMs: minuteMs(),
    appconfig: make(AppConfigClient, "appconfig", credentials),
    cloudwatch: make(CloudWatchClient, "cloudwatch", credentials),
    iam: make(IAMClient, "iam", credentials),
    sns: make(SNSClient, "sns", credentials),
  };
}

/**
 * pulumi-aws's reason when no credential source is found (provider/errors/no_credentials.txt,
 * returned by validateCredentials from CheckConfig and Configure unless skipCredentialsValidation).
 * The local AWS takes any keys, so only their absence is emulated; a profile or shared
 * credentials file is not read.
 */
export const NO_CREDENTIALS_REASON =
  "No valid credential sources found.\n" +
  "Please see https://www.pulumi.com/registry/packages/aws/installation-configuration/ for more information about providing credentials.";

export function missingCredentials(config: Pick<ProviderConfig, "skipCredentialsValidation">, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (config.skipCredentialsValidation) return undefined;
  return env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY ? undefined : NO_CREDENTIALS_REASON;
}

function accountOf(arn: string | undefined): string | undefined {
  const account = arn?.split(":")[4];
  return account === undefined || account === "" ? undefined : account;
}

function minuteMs(): number {
  const value = Number(process.env.DCP_E2E_MINUTE_MS ?? "60000");
  return Number.isFinite(value) && value > 0 ? value : 60000;
}

/** Logs each call before it is sent, so a call AWS refuses is in the log too (the policy must allow it either way). */
function withCallLog<C extends Client>(client: C, service: string, scope: { partition: string; region: string; account: string }): C {
  const middleware: InitializeMiddleware<object, MetadataBearer> = (next, context) => async (args) => {
    const action = String(context.commandName ?? "").replace(/Command$/, "");
    const resource = resourceOf(service, args.input as Record<string, unknown>, scope);
    logCall({ service, action, ...(resource === undefined ? {} : { resource }), region: scope.region });
    return next(args);
  };
  // Each client's stack is typed for its own commands; the middleware reads only what all share.
  (client.middlewareStack as unknown as LoggableStack).add(middleware, { step: "initialize", name: "dcpE2eCallLog" });
  return client;
}
