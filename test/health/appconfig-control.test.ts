import { expect } from "chai";
import type { Envs } from "../../cli/config/model";
import { createDeploymentControl } from "../../cli/health/appconfig-control";
import type { Clock, WatchTarget } from "../../cli/pipeline/ports";
import type { StackOutputs } from "../../infra/outputs";
import { sampleConfig } from "../engine/sample-config";

const envs = { pipeline: { workload: "storefront" }, stages: [] } as unknown as Envs;
const clock: Clock = { now: () => 0, sleep: async () => undefined };
const outputs = { applicationId: "app-1", environmentId: "env-1" } as StackOutputs;
const target: WatchTarget = { stack: { stage: "gamma", region: "us-east-1", name: "gamma-us-east-1" }, config: sampleConfig(), outputs };

interface Sent {
  command: string;
  input: Record<string, unknown>;
  options?: { abortSignal?: AbortSignal };
}

/** An AppConfig client that answers from a script by command name and records what it was sent. */
function scriptedClient(answers: Record<string, (input: Record<string, unknown>) => unknown>, onClock: Clock = clock) {
  const sent: Sent[] = [];
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }, options?: { abortSignal?: AbortSignal }) => {
      const name = command.constructor.name.replace(/Command$/, "");
      sent.push({ command: name, input: command.input, ...(options && { options }) });
      const answer = answers[name];
      if (answer === undefined) throw new Error(`unexpected ${name}`);
      return answer(command.input);
    },
  };
  return { sent, control: createDeploymentControl(envs, { clock: onClock, client: async () => client as never }) };
}

describe("the AppConfig deployment control", () => {
  it("stops the environment's deployment in progress with AllowRevert, which a deployment in its final bake needs", async () => {
    const { sent, control } = scriptedClient({
      ListDeployments: () => ({ Items: [{ DeploymentNumber: 9, State: "BAKING" }, { DeploymentNumber: 8, State: "COMPLETE" }] }),
      StopDeployment: () => ({ State: "ROLLED_BACK" }),
    });

    expect(await control.stopInProgress(target)).to.equal(9);
    expect(sent[0]).to.deep.equal({ command: "ListDeployments", input: { ApplicationId: "app-1", EnvironmentId: "env-1", MaxResults: 5 } });
    expect(sent.find((s) => s.command === "StopDeployment")?.input).to.deep.equal({
      ApplicationId: "app-1",
      EnvironmentId: "env-1",
      DeploymentNumber: 9,
      AllowRevert: true,
    });
  });

  it("stops a deployment still DEPLOYING too", async () => {
    const { sent, control } = scriptedClient({
      ListDeployments: () => ({ Items: [{ DeploymentNumber: 5 }, { DeploymentNumber: 4, State: "ROLLED_BACK" }, { DeploymentNumber: 3, State: "DEPLOYING" }] }),
      StopDeployment: () => ({ State: "ROLLED_BACK" }),
    });

    expect(await control.stopInProgress(target)).to.equal(3);
    expect(sent.filter((s) => s.command === "StopDeployment").map((s) => s.input.DeploymentNumber)).to.deep.equal([3]);
  });

  it("stops nothing when no deployment is in progress: a completed one would be reverted", async () => {
    const { sent, control } = scriptedClient({ ListDeployments: () => ({ Items: [{ DeploymentNumber: 8, State: "COMPLETE" }] }) });

    expect(await control.stopInProgress(target)).to.equal(undefined);
    expect(sent.map((s) => s.command)).to.deep.equal(["ListDeployments"]);
  });

  it("stops nothing in an environment that has never had a deployment", async () => {
    const { sent, control } = scriptedClient({ ListDeployments: () => ({}) });

    expect(await control.stopInProgress(target)).to.equal(undefined);
    expect(sent.map((s) => s.command)).to.deep.equal(["ListDeployments"]);
  });

  it("retries a throttled AppConfig call after waiting on its clock", async () => {
    const waits: number[] = [];
    let listed = 0;
    const { control } = scriptedClient(
      {
        ListDeployments: () => {
          listed += 1;
          if (listed === 1) throw Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
          return { Items: [] };
        },
      },
      { now: () => 0, sleep: async (ms) => void waits.push(ms) },
    );

    expect(await control.stopInProgress(target)).to.equal(undefined);
    expect(waits).to.deep.equal([250]);
    expect(listed).to.equal(2);
  });

  it("deletes every hosted version of a profile, every page of them, so that its profile can be deleted", async () => {
    const pages: Record<string, unknown> = {
      first: { Items: [{ VersionNumber: 3 }, {}, { VersionNumber: 2 }], NextToken: "more" },
      more: { Items: [{ VersionNumber: 1 }] },
    };
    const { sent, control } = scriptedClient({
      ListHostedConfigurationVersions: (input) => pages[(input.NextToken as string | undefined) ?? "first"],
      DeleteHostedConfigurationVersion: () => ({}),
    });

    await control.deleteHostedVersions(target, ["inv"]);

    const deleted = sent.filter((s) => s.command === "DeleteHostedConfigurationVersion").map((s) => s.input);
    expect(deleted).to.deep.equal([3, 2, 1].map((VersionNumber) => ({ ApplicationId: "app-1", ConfigurationProfileId: "inv", VersionNumber })));
  });

  it("reads a deployment's state and why AppConfig rolled it back", async () => {
    const { control } = scriptedClient({
      GetDeployment: () => ({ State: "ROLLED_BACK", EventLog: [{ Description: "Alarm checkout-5xx is in ALARM" }] }),
    });

    expect(await control.status(target, 4)).to.deep.equal({ state: "ROLLED_BACK", detail: "Alarm checkout-5xx is in ALARM" });
  });

  it("reads a deployment with the caller's signal, so an interrupted wait does not hang on AWS", async () => {
    const { sent, control } = scriptedClient({ GetDeployment: () => ({ State: "DEPLOYING", EventLog: [{}] }) });
    const stopping = new AbortController();

    expect(await control.status(target, 4, stopping.signal)).to.deep.equal({ state: "DEPLOYING" });
    expect(sent[0]?.input).to.deep.equal({ ApplicationId: "app-1", EnvironmentId: "env-1", DeploymentNumber: 4 });
    expect(sent[0]?.options?.abortSignal).to.equal(stopping.signal);
  });

  it("reads a deployment AppConfig gives no state for as UNKNOWN", async () => {
    const { control } = scriptedClient({ GetDeployment: () => ({}) });

    expect(await control.status(target, 4)).to.deep.equal({ state: "UNKNOWN" });
  });
});
