import { expect } from "chai";
import { mergeRegions, valueChanges } from "../../cli/pipeline/value-diff";

describe("value diff", () => {
  const paths = (entries: Record<string, unknown>) => new Map(Object.entries(entries));

  it("lists every path whose value differs, and no path whose value is the same", () => {
    const changes = valueChanges(paths({ "a.x": 1, "a.y": "INFO", "a.z": true }), paths({ "a.x": 2, "a.y": "INFO", "a.z": false }));
    expect(changes).to.deep.equal([
      { path: "a.x", from: 1, to: 2 },
      { path: "a.z", from: true, to: false },
    ]);
  });

  it("compares lists by their elements, not by identity", () => {
    expect(valueChanges(paths({ l: ["a", "b"] }), paths({ l: ["a", "b"] }))).to.deep.equal([]);
    expect(valueChanges(paths({ l: ["a", "b"] }), paths({ l: ["b", "a"] }))).to.deep.equal([{ path: "l", from: ["a", "b"], to: ["b", "a"] }]);
  });

  it("says a value that appears or disappears has no value on the other side", () => {
    const changes = valueChanges(paths({ gone: 1, kept: 1 }), paths({ kept: 1, added: 2 }));
    expect(changes).to.deep.equal([{ path: "added", to: 2 }, { path: "gone", from: 1 }]);
    expect(changes[0]).not.to.have.property("from");
  });

  it("merges the same change made in several regions into one entry naming them", () => {
    const merged = mergeRegions([
      { region: "us-east-1", changes: [{ path: "p", from: 1, to: 2 }, { path: "q", from: "a", to: "b" }] },
      { region: "eu-west-1", changes: [{ path: "p", from: 1, to: 2 }, { path: "q", from: "c", to: "b" }] },
    ]);
    expect(merged).to.deep.equal([
      { path: "p", from: 1, to: 2, regions: ["us-east-1", "eu-west-1"] },
      { path: "q", from: "a", to: "b", regions: ["us-east-1"] },
      { path: "q", from: "c", to: "b", regions: ["eu-west-1"] },
    ]);
  });

  it("keeps a value being set apart from the same value being changed", () => {
    const merged = mergeRegions([
      { region: "us-east-1", changes: [{ path: "p", to: 2 }] },
      { region: "eu-west-1", changes: [{ path: "p", from: null, to: 2 }] },
    ]);
    expect(merged).to.have.length(2);
  });

  it("keeps a value being removed apart from the same value being set to null", () => {
    const merged = mergeRegions([
      { region: "us-east-1", changes: [{ path: "p", from: 1 }] },
      { region: "eu-west-1", changes: [{ path: "p", from: 1, to: null }] },
      { region: "ap-southeast-2", changes: [{ path: "p", from: 1 }] },
    ]);
    expect(merged).to.deep.equal([
      { path: "p", from: 1, regions: ["us-east-1", "ap-southeast-2"] },
      { path: "p", from: 1, to: null, regions: ["eu-west-1"] },
    ]);
  });

  it("compares values as the JSON AppConfig serves, so a number and its string differ", () => {
    expect(valueChanges(paths({ n: 5, s: "a" }), paths({ n: "5", s: "a" }))).to.deep.equal([{ path: "n", from: 5, to: "5" }]);
  });
});
