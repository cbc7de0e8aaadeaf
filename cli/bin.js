#!/usr/bin/env node
"use strict";
// dcp runs its TypeScript sources directly through tsx's CommonJS hook: no build
// step, so `npm ci` alone makes `npx dcp` work and what runs is what is reviewed.
require("tsx/cjs");
// tsx turns on Node's source maps, which then parses the map of every Pulumi module
// loaded (~0.5 s of `dcp validate`); only --debug stack traces need them.
if (!process.argv.includes("--debug")) process.setSourceMapsEnabled(false);
require("./main.ts").main(process.argv.slice(2));
