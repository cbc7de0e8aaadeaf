// What every AppConfig route needs: the per-region stores, the deployment clock and rules.
import type { Lifecycle } from "./lifecycle";
import type { Regions } from "./regions";

export interface Context {
  readonly regions: Regions;
  readonly lifecycle: Lifecycle;
  now(): number;
}
