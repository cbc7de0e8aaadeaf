import { expect } from "chai";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import type { ValidateFunction } from "ajv";
import { FORMAT_VALIDATORS } from "../../cli/config/load";
import type { ValidatorSpec } from "../../infra/compiled-validator";
import { FEATURE_FLAGS_VALIDATOR } from "../../infra/appconfig/feature-flags-rules";
import { renderFeatureFlags } from "../../infra/appconfig/feature-flags";
import { STACK_CONFIG_VALIDATOR } from "../../infra/read-stack-config";
import { sampleStack } from "./sample-stacks";

const ROOT = path.resolve(__dirname, "../..");

/** What `npm run build` generated for the spec (the compiled CLI, program and pack use it). */
function generated(spec: ValidatorSpec): ValidateFunction {
  // eslint-disable-next-line @typescript-eslint/no-require-imports, security/detect-non-literal-require -- the build's output, by id
  return require(path.join(ROOT, "dist/validators", `${spec.id}.js`)) as ValidateFunction;
}

function verdicts(validate: ValidateFunction, documents: unknown[]): unknown[] {
  return documents.map((document) => {
    const valid = validate(document);
    return { valid, errors: (validate.errors ?? []).map(({ instancePath, keyword, params, message }) => ({ instancePath, keyword, params, message })) };
  });
}

async function documentsFor(spec: ValidatorSpec): Promise<unknown[]> {
  const stack = await sampleStack("prod-us-east-1");
  switch (spec.id) {
    case "pipeline-file": {
      const pipeline = parse(readFileSync(path.join(ROOT, "envs/pipeline.yaml"), "utf8")) as Record<string, unknown>;
      return [pipeline, { ...pipeline, workload: "Shop_X", extra: 1 }, { ...pipeline, flags: { "a-flag": { expires: "2026-02-30" } } }];
    }
    case "stage-file": {
      const stage = parse(readFileSync(path.join(ROOT, "envs/prod.yaml"), "utf8")) as Record<string, unknown>;
      return [stage, { ...stage, canaryPercent: 5 }, { ...stage, waves: [] }];
    }
    case "stack-config":
      return [stack.config, { ...stack.config, region: 7 }, { ...stack.config, metadata: { releasedAt: "yesterday" } }];
    case "feature-flags": {
      const flags = renderFeatureFlags(stack.config.flags, "2026-11-24");
      return [flags, { ...flags, version: "2" }, { flags: {}, values: {}, version: "1", extra: true }];
    }
    default:
      throw new Error(`no documents for ${spec.id}`);
  }
}

describe("validators generated at build time", () => {
  for (const spec of [...FORMAT_VALIDATORS, STACK_CONFIG_VALIDATOR, FEATURE_FLAGS_VALIDATOR]) {
    it(`${spec.id}: the built validator gives the verdicts and errors ajv gives when it compiles the schema from source`, async () => {
      const documents = await documentsFor(spec);
      const fromSource = verdicts(spec.ajv().compile(spec.schema), documents);
      expect(verdicts(generated(spec), documents)).to.deep.equal(fromSource);
      expect(fromSource.map((v) => (v as { valid: boolean }).valid)).to.deep.equal([true, false, false]);
    });
  }
});
