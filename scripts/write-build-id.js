#!/usr/bin/env node
"use strict";
// Writes dist/build-id: a hash of every file the build put in dist/, which names this
// build in the key of dcp validate's report cache (cli/offline/validate-cache.ts): a
// rebuilt change to the program, the policies or dcp itself is a cache miss. Runs last.
const { createHash } = require("node:crypto");
const { readdirSync, readFileSync, writeFileSync } = require("node:fs");
const { join, relative } = require("node:path");

const dist = join(__dirname, "..", "dist");
const out = join(dist, "build-id");
const hash = createHash("sha256");
const files = readdirSync(dist, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile())
  .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
  .filter((file) => file !== out)
  .sort();
// eslint-disable-next-line security/detect-non-literal-fs-filename -- files under dist/, which this build just wrote
for (const file of files) hash.update(`${relative(dist, file)}\0`).update(readFileSync(file)).update("\0");
writeFileSync(out, `${hash.digest("hex")}\n`);
