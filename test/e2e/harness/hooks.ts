/** Mocha root hooks for the end-to-end suite: the shared world is stopped once, at the very end. */
import { stopWorld } from "./world";

export const mochaHooks = {
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(60_000);
    await stopWorld();
  },
};
