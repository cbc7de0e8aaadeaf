/** Mocha root hooks for the end-to-end suite: the shared world is stopped once, at the very end. */
import { stopWorld } from "./world";

export const mochaHooks = {
  async afterAll(this: Mocha.Context): Promise<void> {
    // Stopping the local AWS and removing the run's scratch repositories (clones, builds,
    // state) once took over a minute on a 2-core machine at load 11, after every scenario had
    // passed; on a quiet machine the stop alone takes 0.2 s.
    this.timeout(300_000);
    await stopWorld();
  },
};
