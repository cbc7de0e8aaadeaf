/**
 * The stacks' secrets under a KMS key (pipeline.yaml's `secretsProvider: awskms://…`)
 * rather than a passphrase: in CI, with no PULUMI_CONFIG_PASSPHRASE, the Pulumi CLI wraps
 * each new stack's data key with the local AWS's KMS (moto) and unwraps it to read the
 * stack's secret outputs.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ScratchRepo } from "../harness/scratch-repo";
import { world } from "../harness/world";

/** One KMS call on the local AWS, which routes by the SigV4 scope and, as moto does, accepts any signature. */
async function kms(endpoint: string, operation: string, request: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-amz-json-1.1",
      "X-Amz-Target": `TrentService.${operation}`,
      Authorization: "AWS4-HMAC-SHA256 Credential=local/20261125/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=0",
    },
    body: JSON.stringify(request),
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`KMS ${operation}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

describe("the stacks' secrets under a KMS key on the real engine", () => {
  it("releases in CI without a passphrase, each stack's data key wrapped by the key, and reads the stacks' secret outputs back", async () => {
    const w = await world();
    const repo = ScratchRepo.create(w, "kms-secrets");
    const created = await kms(w.aws.endpoint, "CreateKey", { Description: "dcp e2e: the stacks' secrets" });
    const keyId = (created["KeyMetadata"] as { KeyId: string }).KeyId;
    const provider = `awskms://${keyId}?region=us-east-1&endpoint=${w.aws.endpoint}`;
    repo.editFile("envs/pipeline.yaml", (text) => text.replace(/^state: .*$/m, (state) => `${state}\nsecretsProvider: ${provider}`));
    repo.commit("the stacks' secrets under a KMS key");
    const env = repo.env();
    delete env["PULUMI_CONFIG_PASSPHRASE"];
    delete env["PULUMI_CONFIG_PASSPHRASE_FILE"];

    const released = await repo.dcp(["release", "--to", "beta", "--json"], env);
    expect(released.status, released.stderr + released.stdout).to.equal(0);
    expect(released.stderr).not.to.contain("PULUMI_CONFIG_PASSPHRASE");
    // The file backend's checkpoint names the stack's secrets manager (pulumi/pulumi pkg/secrets/cloud: type "cloud", its URL and the wrapped data key).
    const checkpoint = JSON.parse(readFileSync(join(repo.stateDir, ".pulumi", "stacks", repo.workload, "beta-us-west-2.json"), "utf8")) as {
      checkpoint: { latest: { secrets_providers?: { type: string; state: { url?: string; encryptedkey?: string } } } };
    };
    const secrets = checkpoint.checkpoint.latest.secrets_providers;
    expect(secrets?.type).to.equal("cloud");
    expect(secrets?.state.url).to.equal(provider);
    expect(secrets?.state.encryptedkey).to.be.a("string").and.not.equal("");

    // The stack's outputs include AppConfig content, a secret: reading them unwraps the data key.
    const status = await repo.dcp(["status", "beta", "--json"], env);
    expect(status.status, status.stderr + status.stdout).to.equal(0);

    // The recorded data key is a ciphertext of this KMS key: only its Decrypt gives the 32-byte key back.
    const unwrapped = await kms(w.aws.endpoint, "Decrypt", { CiphertextBlob: secrets?.state.encryptedkey });
    expect(unwrapped["KeyId"]).to.contain(keyId);
    expect(Buffer.from(unwrapped["Plaintext"] as string, "base64")).to.have.length(32);
  });
});
