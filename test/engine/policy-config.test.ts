import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import { PolicyConfigFiles } from "../../cli/engine/policy-config";

describe("the policy config files handed to `--policy-pack-config`", () => {
  // Unique to each test: the directory lives as long as the process, so a file an earlier test left must not stand in for this one's.
  const prodConfig = () => ({ all: "mandatory", [`policy-${randomUUID()}`]: { enforcementLevel: "mandatory" } });
  const beta = { all: "advisory" };

  it("holds the stage's policy config as JSON, in a file named after its content", () => {
    const prod = prodConfig();
    const file = new PolicyConfigFiles().pathFor(prod);
    expect(JSON.parse(readFileSync(file, "utf8"))).to.deep.equal(prod);
    expect(basename(file)).to.match(/^policy-config-[0-9a-f]{16}\.json$/);
  });

  it("gives one config one file, another config another, all in one directory for the process", () => {
    const prod = prodConfig();
    const first = new PolicyConfigFiles();
    const second = new PolicyConfigFiles();
    expect(second.pathFor(prod)).to.equal(first.pathFor(prod));
    expect(first.pathFor(beta)).not.to.equal(first.pathFor(prod));
    expect(dirname(first.pathFor(beta))).to.equal(dirname(second.pathFor(prod)));
    expect(JSON.parse(readFileSync(first.pathFor(beta), "utf8"))).to.deep.equal(beta);
  });
});
