/**
 * The browser the page specs open dcp's HTML in: Debian's `chromium` package, driven by
 * playwright-core (which downloads no browser of its own). Installed here when missing,
 * as the suite's other tools are on first use, so a clean CI machine needs no step of its own.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

const CHROMIUM = process.env["DCP_E2E_CHROMIUM"] ?? "/usr/bin/chromium";

function ensureChromium(): string {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  if (process.getuid?.() !== 0) {
    throw new Error(`no Chromium at ${CHROMIUM}: install Debian's package (\`sudo apt-get install -y chromium\`), or point DCP_E2E_CHROMIUM at one`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  execFileSync("apt-get", ["install", "-y", "-qq", "chromium"], { stdio: "inherit", env });
  return CHROMIUM;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: ensureChromium(), headless: true });
}
