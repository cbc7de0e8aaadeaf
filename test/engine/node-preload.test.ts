import { expect } from "chai";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compiledPreload, nodeOptionsWithPreload } from "../../cli/engine/node-preload";

describe("the preload handed to the engine's Node processes", () => {
  it("adds itself to the NODE_OPTIONS a user already set, quoted, once", () => {
    const preload = "/opt/dcp app/dist/cli/lazy-sdk-modules.js";
    expect(nodeOptionsWithPreload(undefined, preload)).to.deep.equal({ NODE_OPTIONS: `--require "${preload}"` });
    const withUsers = nodeOptionsWithPreload("--max-old-space-size=4096", preload);
    expect(withUsers).to.deep.equal({ NODE_OPTIONS: `--max-old-space-size=4096 --require "${preload}"` });
    expect(nodeOptionsWithPreload(withUsers.NODE_OPTIONS, preload)).to.deep.equal(withUsers);
  });

  it("sets nothing when dcp is not running compiled", () => {
    expect(nodeOptionsWithPreload("--inspect", undefined)).to.deep.equal({});
  });

  it("finds the compiled deferral module beside the compiled engine adapter, and only there", () => {
    const root = mkdtempSync(join(tmpdir(), "dcp-dist-"));
    try {
      mkdirSync(join(root, "engine"));
      expect(compiledPreload(join(root, "engine"))).to.equal(undefined);
      writeFileSync(join(root, "lazy-sdk-modules.js"), "");
      expect(compiledPreload(join(root, "engine"))).to.equal(join(root, "engine", "..", "lazy-sdk-modules.js"));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
