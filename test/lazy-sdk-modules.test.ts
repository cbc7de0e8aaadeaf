import { expect } from "chai";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import Module from "node:module";
import { tmpdir } from "node:os";
import * as path from "node:path";
import "../cli/lazy-sdk-modules";

/**
 * Each case requires a module as one of the SDK's own files does, from that file: the
 * interception depends on who asks, and a module another test loaded first is no stand-in
 * for the one asked for here.
 */
type Load = (request: string, parent: Module, isMain: boolean) => unknown;
const load = (Module as unknown as { _load: Load })._load;
type Resolve = (request: string, parent: Module, isMain: boolean) => string;
const resolveFrom = (Module as unknown as { _resolveFilename: Resolve })._resolveFilename;
type NodeModulePaths = (dir: string) => string[];
const nodeModulePaths = (Module as unknown as { _nodeModulePaths: NodeModulePaths })._nodeModulePaths;

/** A module object standing for `file`, resolving requests as that file would. */
function moduleAt(file: string): Module {
  const parent = new Module(file);
  parent.filename = file;
  parent.paths = nodeModulePaths(path.dirname(file));
  return parent;
}

const sdkFile = (file: string) => moduleAt(require.resolve(`@pulumi/pulumi/${file}`));

/** The SDK's requests that dcp defers, each from the SDK file that makes it. */
const DEFERRED = [
  { request: "@npmcli/arborist", from: "runtime/closure/codePaths.js", used: "Arborist" },
  { request: "typescript", from: "typescript-shim.js", used: "createSourceFile" },
];

describe("the SDK's lazily loaded modules", () => {
  for (const { request, from, used } of DEFERRED) {
    it(`finds ${request} where the SDK's ${from} requires it, so deferring it never hides a missing module`, () => {
      expect(() => resolveFrom(request, sdkFile(from), false)).to.not.throw();
    });

    it(`gives the SDK's ${from} the real ${request} once it is used`, () => {
      const parent = sdkFile(from);
      const stand = load(request, parent, false) as Record<string, unknown>;
      // eslint-disable-next-line @typescript-eslint/no-require-imports, security/detect-non-literal-require -- the module the stand-in must turn into, resolved as the SDK resolves it
      const real = require(resolveFrom(request, parent, false)) as Record<string, unknown>;
      expect(stand.__esModule).to.equal(true);
      expect(stand[used]).to.be.a("function").and.to.equal(real[used]);
    });
  }

  it("gives the SDK's codePaths.js the real normalize-package-data through its default import", () => {
    const parent = sdkFile("runtime/closure/codePaths.js");
    expect(() => resolveFrom("normalize-package-data", parent, false)).to.not.throw();
    const stand = load("normalize-package-data", parent, false) as { __esModule: boolean; default: (data: Record<string, unknown>) => void };
    expect(stand.__esModule).to.equal(true);
    const manifest: Record<string, unknown> = { name: "x", version: "1.0.0", repository: "github:acme/x" };
    stand.default(manifest);
    expect(manifest.repository).to.deep.equal({ type: "git", url: "git+https://github.com/acme/x.git" });
  });

  it("gives the SDK's typescript-shim a working TypeScript", () => {
    const ts = load("typescript", sdkFile("typescript-shim.js"), false) as { createSourceFile: (...args: unknown[]) => { statements: unknown[] } };
    expect(ts.createSourceFile("f.ts", "const a = 1;", 99).statements).to.have.length(1);
  });

  describe("in an install without typescript (pruned to runtime dependencies)", () => {
    let root: string;
    before(() => {
      root = mkdtempSync(path.join(tmpdir(), "dcp-pruned-"));
      const sdk = path.join(root, "node_modules", "@pulumi", "pulumi");
      mkdirSync(path.join(sdk, "vendor", "typescript@3.8.3"), { recursive: true });
      copyFileSync(require.resolve("@pulumi/pulumi/typescript-shim.js"), path.join(sdk, "typescript-shim.js"));
      writeFileSync(path.join(sdk, "vendor", "typescript@3.8.3", "typescript.js"), "module.exports = { vendored: true };\n");
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    it("lets the SDK's typescript-shim fall back to its vendored TypeScript", () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports, security/detect-non-literal-require -- a copy of the SDK's shim in a scratch install
      const ts = require(path.join(root, "node_modules", "@pulumi", "pulumi", "typescript-shim.js")) as { vendored?: boolean };
      expect(ts.vendored).to.equal(true);
    });
  });
});
