/**
 * `npm run bench`: each benchmark prints `name: value`, measured in this one run.
 * Goals live in the issues and the README, never as timed assertions in the tests.
 */
import { benchCliProcess } from "./cli-process";
import { benchDiff } from "./diff";
import { benchE2eRelease } from "./e2e-release";
import { benchFlags } from "./flags";
import { benchInfraMockRun } from "./infra-mock-run";
import { benchMutation } from "./mutation";
import { benchRelease } from "./release";
import { benchSecrets } from "./secrets";
import { benchValidate } from "./validate";
import { benchVerify } from "./verify";

const benches: Array<() => Promise<Record<string, number>>> = [benchValidate, benchDiff, benchFlags, benchSecrets, benchInfraMockRun, benchRelease, benchVerify, benchCliProcess, benchE2eRelease, benchMutation];

async function main(): Promise<void> {
  for (const bench of benches) {
    for (const [name, value] of Object.entries(await bench())) console.log(`${name}: ${value}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
