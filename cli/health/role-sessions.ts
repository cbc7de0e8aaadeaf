/**
 * The AWS clients dcp reads and acts with in a stage: the stage's role assumed with the
 * caller's own credentials, in the stack's region, at the stage's endpoint when it has one
 * (LocalStack). A session's credentials are assumed again shortly before they expire, and
 * on demand when AWS calls them expired first. The SDK is loaded on first use only.
 */
import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { AppConfigClient } from "@aws-sdk/client-appconfig";

export interface RoleTarget {
  region: string;
  role: string;
  endpoint?: string;
}

export interface RoleClients {
  cloudwatch: CloudWatchClient;
  appconfig: AppConfigClient;
}

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date };

/** Assumed-role credentials are renewed this long before they expire. */
const RENEW_BEFORE_MS = 5 * 60_000;

export class RoleSessions {
  private readonly sessions = new Map<string, Promise<RoleClients>>();

  constructor(private readonly sessionName: string) {}

  /** The clients of the target's current session. */
  clientsFor(target: RoleTarget): Promise<RoleClients> {
    const key = keyOf(target);
    return this.sessions.get(key) ?? this.renew(target);
  }

  /** A new session for the target (the role assumed afresh), which its later calls share. */
  renew(target: RoleTarget): Promise<RoleClients> {
    const key = keyOf(target);
    const session = this.connect(target);
    // Stryker disable next-line ArrowFunction,CallExpression: connect() rejects only when the SDK's own modules fail to load (STS refusals fail later, per request), which no spec can bring about
    session.catch(() => this.sessions.delete(key));
    this.sessions.set(key, session);
    return session;
  }

  private async connect(target: RoleTarget): Promise<RoleClients> {
    const [cloudwatch, appconfig, sts] = await Promise.all([
      import("@aws-sdk/client-cloudwatch"),
      import("@aws-sdk/client-appconfig"),
      import("@aws-sdk/client-sts"),
    ]);
    const endpoint = target.endpoint ? { endpoint: target.endpoint } : {};
    // The caller's own credentials (a fresh default chain: it reads the environment, a web identity
    // token file or SSO again) only serve to assume the stage's role.
    const stsClient = new sts.STSClient({ region: target.region, ...endpoint });
    const credentials = memoize(async (): Promise<Credentials> => {
      const { Credentials: issued } = await stsClient.send(new sts.AssumeRoleCommand({ RoleArn: target.role, RoleSessionName: this.sessionName }));
      if (!issued?.AccessKeyId || !issued.SecretAccessKey) throw new Error(`assuming ${target.role} returned no credentials`);
      return {
        accessKeyId: issued.AccessKeyId,
        secretAccessKey: issued.SecretAccessKey,
        ...(issued.SessionToken ? { sessionToken: issued.SessionToken } : {}),
        ...(issued.Expiration ? { expiration: issued.Expiration } : {}),
      };
    });
    // One attempt per request: throttling is retried on the injected clock, anything else is the caller's to judge.
    const config = { region: target.region, credentials, maxAttempts: 1, ...endpoint };
    return { cloudwatch: new cloudwatch.CloudWatchClient(config), appconfig: new appconfig.AppConfigClient(config) };
  }
}

function keyOf(target: RoleTarget): string {
  // Stryker disable next-line StringLiteral: any text that is no endpoint URL keys the default endpoint just as well
  const endpoint = target.endpoint ?? "";
  return `${target.region}|${target.role}|${endpoint}`;
}

/** One call in flight at a time; the result is reused until it is about to expire. */
function memoize(fetch: () => Promise<Credentials>): () => Promise<Credentials> {
  let current: Promise<Credentials> | undefined;
  return async () => {
    const held = current && (await current.catch(() => undefined));
    if (held && (!held.expiration || held.expiration.getTime() - Date.now() > RENEW_BEFORE_MS)) return held;
    current = fetch();
    return current;
  };
}
