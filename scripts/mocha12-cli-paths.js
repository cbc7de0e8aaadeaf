/**
 * Preloaded (`node --require`) into Stryker and its test-runner processes: Mocha 12 renamed
 * the cli internals that @stryker-mutator/mocha-runner 10.0.0 requires without an extension
 * (`lib/cli/run-helpers`, `options`, `collect-files`) to `.cjs`, so the runner fails to load.
 * Fixed upstream in stryker-mutator/stryker-js#6205 (open); delete this file once a runner
 * release contains it.
 */
const Module = require("node:module");

const CLI_INTERNAL = /[\\/]mocha[\\/]lib[\\/]cli[\\/](run-helpers|options|collect-files)$/;
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolve.call(this, CLI_INTERNAL.test(request) ? `${request}.cjs` : request, ...rest);
};
