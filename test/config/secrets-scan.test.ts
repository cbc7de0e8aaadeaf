import { expect } from "chai";
import { Diagnostics } from "../../cli/config/diagnostics";
import { scanForSecrets } from "../../cli/config/secrets-scan";
import { parseYaml } from "../../cli/config/source";
import { SECRET_ADVICE } from "../../policies/secret-patterns";

/** scanForSecrets' findings in this YAML document, as `line:col message`. */
function secretsIn(...lines: string[]): string[] {
  const { source } = parseYaml([...lines, ""].join("\n"), "envs/beta.yaml");
  const diagnostics = new Diagnostics();
  scanForSecrets(source!, diagnostics);
  return diagnostics.all.map((d) => `${d.line}:${d.col} ${d.message}`);
}

describe("secrets in a configuration file", () => {
  it("leaves a stage's account, role and endpoint to their own rules, which judge identifiers", () => {
    // The schema refuses an account that is not 12 digits and the endpoint rule a URL with a password,
    // each in its own words: the scan would only repeat them.
    expect(secretsIn("account: wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEYAB", "role: AKIAIOSFODNN7EXAMPLE", "endpoint: http://user:hunter2@localhost:4566")).to.deep.equal([]);
  });

  it("still scans every other key of the file, and keys of those names anywhere below the top", () => {
    const found = `possible secret in configuration (looks like an AWS access key id): configuration is deployed in clear text; ${SECRET_ADVICE}`;
    expect(secretsIn("sink: AKIAIOSFODNN7EXAMPLE")).to.deep.equal([`1:7 ${found}`]);
    expect(secretsIn("config:", "  audit:", "    role: AKIAIOSFODNN7EXAMPLE")).to.deep.equal([`3:11 ${found}`]);
    expect(secretsIn("role:", "  name: AKIAIOSFODNN7EXAMPLE")).to.deep.equal([`2:9 ${found}`]);
  });

  it("reports a value once with every reason it looks like a secret", () => {
    expect(secretsIn("config:", "  sink: https://audit:AKIAIOSFODNN7EXAMPLE@logs.example.com")).to.deep.equal([
      `2:9 possible secret in configuration (looks like an AWS access key id; is a URL with a password in it): configuration is deployed in clear text; ${SECRET_ADVICE}`,
    ]);
  });
});
