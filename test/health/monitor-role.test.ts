import { expect } from "chai";
import { monitorRoles } from "../../cli/health";
import type { Envs } from "../../cli/config/model";
import type { WatchTarget } from "../../cli/pipeline/ports";

const DEPLOY = "arn:aws:iam::222222222222:role/dcp-deploy";
const MONITOR = "arn:aws:iam::222222222222:role/dcp-monitor";

function envsWith(monitorRole?: string): Envs {
  const definition = { account: "222222222222", role: DEPLOY, ...(monitorRole && { monitorRole }) };
  return { stages: [{ name: "gamma", definition }] } as unknown as Envs;
}

function target(region: string): WatchTarget {
  return { stack: { stage: "gamma", region }, config: { role: DEPLOY } } as unknown as WatchTarget;
}

describe("the role a bake reads with", () => {
  it("is the stage's read-only monitorRole when the stage file names one, without a warning", () => {
    const warnings: string[] = [];
    const roleFor = monitorRoles(envsWith(MONITOR), (message) => warnings.push(message));
    expect(roleFor(target("us-east-1"))).to.equal(MONITOR);
    expect(warnings).to.deep.equal([]);
  });

  it("falls back to the deploy role the stack was released with, and says so once per stage", () => {
    const warnings: string[] = [];
    const roleFor = monitorRoles(envsWith(), (message) => warnings.push(message));
    expect(roleFor(target("us-east-1"))).to.equal(DEPLOY);
    expect(roleFor(target("eu-west-1"))).to.equal(DEPLOY);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(/stage gamma has no monitorRole.*deploy role arn:aws:iam::222222222222:role\/dcp-deploy/);
  });
});
