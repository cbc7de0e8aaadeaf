import { expect } from "chai";
import "../cli/lazy-sdk-modules";

describe("the SDK's lazily loaded modules", () => {
  it("still gives the SDK the real Arborist when it is used", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the interception under test is of require itself
    const arborist = require("@npmcli/arborist") as { Arborist: unknown; __esModule: boolean };
    expect(arborist.__esModule).to.equal(true);
    expect(arborist.Arborist).to.be.a("function");
  });

  it("still gives the SDK's typescript-shim a working TypeScript when it is used", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the interception under test is of require itself
    const ts = require("@pulumi/pulumi/typescript-shim") as { __esModule: boolean; createSourceFile: (...args: unknown[]) => { statements: unknown[] } };
    expect(ts.__esModule).to.equal(true);
    expect(ts.createSourceFile("f.ts", "const a = 1;", 99).statements).to.have.length(1);
  });
});
