import { expect } from "chai";
import type { RecordedStack } from "../../../cli/offline/recorded-resource";
import { CHECKED_STACKS, TYPES, onlyResourceOfType, recordedSample, resourcesOfType, sampleConfig } from "../sample-stacks";
import { recordStack } from "../../../cli/offline/record-stack";

interface PolicyStatement {
  Effect: string;
  Action: string | string[];
  Resource?: string | string[];
  Principal?: { Service?: string };
  Condition?: Record<string, Record<string, string>>;
}

function statements(policy: unknown): PolicyStatement[] {
  return (JSON.parse(String(policy)) as { Statement: PolicyStatement[] }).Statement;
}

/** The ARNs the mocks give the stack's alarms, by the names the program gives them. */
function alarmArnsOf(stack: RecordedStack): string[] {
  return (stack.outputs.alarmArns as string[]).slice();
}

for (const name of CHECKED_STACKS) {
  describe(`the AppConfig environment of ${name}`, () => {
    it("is named after the stage and watches exactly the stage's alarms, through the monitoring role", async () => {
      const config = await sampleConfig(name);
      const stack = await recordedSample(name);
      const environment = onlyResourceOfType(stack, TYPES.environment);
      const role = onlyResourceOfType(stack, TYPES.role);
      expect(environment.inputs.name).to.equal(config.stage);
      const monitors = environment.inputs.monitors as { alarmArn: string; alarmRoleArn: string }[];
      expect(monitors.map((monitor) => monitor.alarmArn)).to.have.members(alarmArnsOf(stack));
      expect(monitors).to.have.length(config.alarms.length);
      for (const monitor of monitors) {
        expect(monitor.alarmRoleArn).to.equal(`arn:aws:iam::${config.account}:role/${String(role.inputs.name)}`);
      }
    });

    it("lets only AppConfig, on behalf of the stage's account, assume the monitoring role", async () => {
      const config = await sampleConfig(name);
      const role = onlyResourceOfType(await recordedSample(name), TYPES.role);
      const [trust, ...more] = statements(role.inputs.assumeRolePolicy);
      expect(more).to.be.empty;
      expect(trust).to.deep.include({ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "appconfig.amazonaws.com" } });
      expect(trust?.Condition).to.deep.equal({ StringEquals: { "aws:SourceAccount": config.account } });
    });

    it("bounds the monitoring role by the workload's permissions boundary, the only kind of role the deploy role may create", async () => {
      const config = await sampleConfig(name);
      const role = onlyResourceOfType(await recordedSample(name), TYPES.role);
      expect(role.inputs.permissionsBoundary).to.equal(`arn:aws:iam::${config.account}:policy/dcp-boundary-${config.workload}`);
    });

    it("allows the monitoring role cloudwatch:DescribeAlarms on the stage's alarms and nothing else, with no wildcard", async () => {
      const stack = await recordedSample(name);
      const [policy, ...more] = resourcesOfType(stack, TYPES.rolePolicy);
      expect(more).to.be.empty;
      const role = onlyResourceOfType(stack, TYPES.role);
      expect(policy?.inputs.role).to.equal(role.inputs.name);
      const [statement, ...others] = statements(policy?.inputs.policy);
      expect(others).to.be.empty;
      expect(statement?.Effect).to.equal("Allow");
      expect(statement?.Action).to.deep.equal(["cloudwatch:DescribeAlarms"]);
      expect(statement?.Resource).to.have.members(alarmArnsOf(stack));
      expect(JSON.stringify(statement)).not.to.include("*");
    });

    it("is created only once the monitoring role may read the alarms", async () => {
      const stack = await recordedSample(name);
      const environment = onlyResourceOfType(stack, TYPES.environment);
      expect(environment.dependsOn).to.include(onlyResourceOfType(stack, TYPES.rolePolicy).urn);
    });
  });
}

describe("an AppConfig environment", () => {
  it("without alarms has no monitors and no monitoring role", async () => {
    const config = await sampleConfig("beta-us-west-2");
    config.alarms = [];
    const stack = await recordStack(config, "beta-us-west-2");
    expect(onlyResourceOfType(stack, TYPES.environment).inputs.monitors).to.deep.equal([]);
    expect(resourcesOfType(stack, TYPES.role)).to.be.empty;
    expect(resourcesOfType(stack, TYPES.rolePolicy)).to.be.empty;
  });

  it("refuses a stage with more alarms than the 5 monitors AppConfig allows", async () => {
    const config = await sampleConfig("prod-us-east-1");
    const [first] = config.alarms;
    if (first === undefined) throw new Error("the prod sample has no alarm");
    config.alarms = [1, 2, 3, 4, 5, 6].map((n) => ({ ...first, name: `alarm-${n}` }));
    let failure: unknown;
    await recordStack(config, "prod-us-east-1").catch((error: unknown) => (failure = error));
    expect(String(failure)).to.include("has 6 alarms, but an AppConfig environment can watch at most 5");
  });
});
