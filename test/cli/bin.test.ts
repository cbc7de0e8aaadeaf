import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { expect } from "chai";
import { runDcp } from "../support/run-dcp";

const BIN = path.resolve(__dirname, "../../cli/bin.js");
const PRETEND_NODE_20 = path.resolve(__dirname, "../support/pretend-node-20.js");

describe("the dcp executable's Node.js check", () => {
  it("refuses a Node.js older than engines.node with exit 1, naming the version it needs and how to get it", () => {
    const run = spawnSync(process.execPath, ["-r", PRETEND_NODE_20, BIN, "validate"], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(run.status).to.equal(1);
    expect(run.stderr).to.contain("dcp needs Node.js 22 or newer").and.contain("this is Node.js 20.19.0").and.contain(`. ${path.resolve(__dirname, "../../scripts/node22.sh")}`);
    expect(run.stdout).to.equal("");
  });

  it("runs on the Node.js the suite runs on, which engines.node allows", () => {
    const run = runDcp(["--help"]);
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stderr).not.to.contain("dcp needs Node.js");
  });
});
