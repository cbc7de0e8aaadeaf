#!/usr/bin/env node
"use strict";
// dcp runs the JavaScript that `npm ci` compiled into dist/ (the `prepare` script):
// no TypeScript transpiler at run time, so start-up is Node's own.
// engines.node, checked before anything loads: on an older Node the SDK would fail somewhere
// deep in a release, which reads as dcp's fault rather than the runtime's.
const minimum = Number(/^>=(\d+)/.exec(require("../package.json").engines.node)[1]);
if (Number(process.versions.node.split(".")[0]) < minimum) {
  process.stderr.write(
    `dcp needs Node.js ${minimum} or newer (package.json engines), and this is Node.js ${process.versions.node}: ` +
      `install it, or run \`. ${require("node:path").resolve(__dirname, "..", "scripts", "node22.sh")}\` in this shell, which puts an integrity-pinned Node 22 on PATH\n`,
  );
  process.exit(1);
}
// V8's compiled code of the modules is kept between runs (in the OS's temp dir).
require("node:module").enableCompileCache();
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
