#!/usr/bin/env node
"use strict";
// Generates dist/validators/<id>.js, one standalone ajv validator per schema dcp's
// compiled code checks against (see infra/compiled-validator.ts). Runs after tsc.
const { mkdirSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");
const standaloneCode = require("ajv/dist/standalone").default;

const dist = join(__dirname, "..", "dist");
const specs = [
  ...require(join(dist, "cli/config/load.js")).FORMAT_VALIDATORS,
  require(join(dist, "infra/read-stack-config.js")).STACK_CONFIG_VALIDATOR,
  require(join(dist, "infra/appconfig/feature-flags-rules.js")).FEATURE_FLAGS_VALIDATOR,
];
const out = join(dist, "validators");
mkdirSync(out, { recursive: true });
for (const spec of specs) {
  const ajv = spec.ajv({ code: { source: true } });
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- dist/validators/ and an id this repository declares
  writeFileSync(join(out, `${spec.id}.js`), standaloneCode(ajv, ajv.compile(spec.schema)));
}
