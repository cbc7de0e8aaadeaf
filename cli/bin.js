#!/usr/bin/env node
"use strict";
// dcp runs its TypeScript sources directly through tsx's CommonJS hook: no build
// step, so `npm ci` alone makes `npx dcp` work and what runs is what is reviewed.
require("tsx/cjs");
require("./main.ts").main(process.argv.slice(2));
