// moto keeps accounts apart by credentials: what a role assumed through STS creates lives in
// the role's account (moto docs, "Multi-Account support"). So whoever acts in a stage's account
// here assumes a role there first, as AppConfig assumes a monitor's AlarmRoleArn to read alarms
// (AppConfig User Guide, "Configuring permissions for automatic rollback").
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";

const ANYONE = { accessKeyId: "local", secretAccessKey: "local" };

export class Accounts {
  private readonly sessions = new Map<string, Promise<AwsCredentialIdentity>>();

  constructor(private readonly endpoint: string) {}

  /** Credentials in the role's account; the caller's own (moto's default account) without a role. */
  credentials(roleArn: string | undefined): Promise<AwsCredentialIdentity> {
    if (roleArn === undefined || roleArn === "") return Promise.resolve(ANYONE);
    let session = this.sessions.get(roleArn);
    if (!session) {
      session = this.assume(roleArn);
      session.catch(() => this.sessions.delete(roleArn));
      this.sessions.set(roleArn, session);
    }
    return session;
  }

  private async assume(roleArn: string): Promise<AwsCredentialIdentity> {
    const sts = new STSClient({ region: "us-east-1", endpoint: this.endpoint, credentials: ANYONE });
    try {
      const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "dcp-e2e" }));
      if (!Credentials?.AccessKeyId || !Credentials.SecretAccessKey) throw new Error(`STS gave no credentials for ${roleArn}`);
      return { accessKeyId: Credentials.AccessKeyId, secretAccessKey: Credentials.SecretAccessKey, sessionToken: Credentials.SessionToken };
    } finally {
      sts.destroy();
    }
  }
}
