import { expect } from "chai";
import { redact, redactAll } from "../cli/redact";

describe("redacting what dcp writes", () => {
  const env = { PULUMI_CONFIG_PASSPHRASE: "correct horse battery" };

  it("removes the value of a secret variable of dcp's environment", () => {
    expect(redact("decrypting with correct horse battery failed", env)).to.equal("decrypting with [redacted] failed");
  });

  it("removes secrets from every string of plain data, and keeps its shape", () => {
    const event = { type: "unhealthy", reasons: [{ stack: "gamma-us-east-1", detail: "exit 1: correct horse battery" }], count: 2 };
    expect(redactAll(event, env)).to.deep.equal({ type: "unhealthy", reasons: [{ stack: "gamma-us-east-1", detail: "exit 1: [redacted]" }], count: 2 });
  });
});
