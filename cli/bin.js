#!/usr/bin/env node
"use strict";
// dcp runs the JavaScript that `npm ci` compiled into dist/ (the `prepare` script):
// no TypeScript transpiler at run time, so start-up is Node's own.
// Node 22 keeps V8's compiled code of the modules between runs (in the OS's temp dir);
// Node 20 has no such cache, and the call is skipped there.
require("node:module").enableCompileCache?.();
let main;
try {
  ({ main } = require("../dist/cli/main.js"));
} catch (error) {
  if (error && error.code === "MODULE_NOT_FOUND" && String(error.message).includes("dist/cli/main.js")) {
    process.stderr.write("dcp is not built: run `npm run build` (or `npm ci`, which builds) in " + require("node:path").resolve(__dirname, "..") + "\n");
    process.exit(1);
  }
  throw error;
}
main(process.argv.slice(2));
