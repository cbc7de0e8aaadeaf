import type { VerifyCheck } from "../../cli/config/formats/stage-file";
import type { Envs } from "../../cli/config/model";

/**
 * The sample envs/ with `stage`'s checks replaced by `verify` and every bake shortened
 * to `bakeMs` of real time (other stages: no checks, no bake), so that checks against a
 * local server or real processes run through a release in well under a second.
 */
export function withChecks(envs: Envs, stage: string, verify: VerifyCheck[], bakeMs: number): Envs {
  return {
    ...envs,
    stages: envs.stages.map((s) => {
      const checked = s.name === stage;
      const { verify: _sampleChecks, ...definition } = s.definition;
      return {
        ...s,
        definition: {
          ...definition,
          ...(checked && { verify }),
          waves: definition.waves.map((wave) => ({ ...wave, bakeMinutes: checked ? bakeMs / 60_000 : 0 })),
        },
      };
    }),
  };
}

/** Health checks of `path` on a local server, every 20 ms. */
export function localHealthCheck(baseUrl: string, name = "storefront-health"): VerifyCheck {
  return { type: "http", name, url: `${baseUrl}/{stage}/{region}/health`, intervalSeconds: 0.02, timeoutMs: 500 };
}
