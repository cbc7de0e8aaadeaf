import { setTimeout as sleep } from "node:timers/promises";
import type { Clock } from "./ports";

/** Wall-clock time, for the real commands; tests use a fake clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    await sleep(ms, undefined, signal ? { signal } : {});
  },
};
