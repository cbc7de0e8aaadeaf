import { expect } from "chai";
import "../../cli/offline/lazy-arborist";

describe("the lazily loaded @npmcli/arborist", () => {
  it("still gives the SDK the real Arborist when it is used", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the interception under test is of require itself
    const arborist = require("@npmcli/arborist") as { Arborist: unknown; __esModule: boolean };
    expect(arborist.__esModule).to.equal(true);
    expect(arborist.Arborist).to.be.a("function");
  });
});
