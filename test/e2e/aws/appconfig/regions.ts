// One RegionState per region named in the SigV4 credential scope, created on first use and
// seeded with AppConfig's predefined deployment strategies (User Guide, "Using predefined
// deployment strategies"), which every account sees in ListDeploymentStrategies.
import { RegionState, type Strategy } from "./store";

const PREDEFINED: readonly Strategy[] = [
  { Id: "AppConfig.Linear50PercentEvery30Seconds", DeploymentDurationInMinutes: 1, FinalBakeTimeInMinutes: 1, GrowthFactor: 50, GrowthType: "LINEAR" },
  { Id: "AppConfig.Canary10Percent20Minutes", DeploymentDurationInMinutes: 20, FinalBakeTimeInMinutes: 10, GrowthFactor: 10, GrowthType: "EXPONENTIAL" },
  { Id: "AppConfig.AllAtOnce", DeploymentDurationInMinutes: 0, FinalBakeTimeInMinutes: 10, GrowthFactor: 100, GrowthType: "LINEAR" },
  { Id: "AppConfig.Linear20PercentEvery6Minutes", DeploymentDurationInMinutes: 30, FinalBakeTimeInMinutes: 30, GrowthFactor: 20, GrowthType: "LINEAR" },
].map((s) => ({ ...s, Name: s.Id, ReplicateTo: "NONE" }) as Strategy);

export class Regions {
  private readonly states = new Map<string, RegionState>();

  get(region: string): RegionState {
    let state = this.states.get(region);
    if (!state) {
      state = new RegionState(region);
      for (const strategy of PREDEFINED) state.strategies.set(strategy.Id, { ...strategy });
      this.states.set(region, state);
    }
    return state;
  }

  all(): RegionState[] {
    return [...this.states.values()];
  }
}
