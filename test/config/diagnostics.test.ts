import { expect } from "chai";
import { sortDiagnostics } from "../../cli/config/diagnostics";
import type { Diagnostic } from "../../cli/errors";

const at = (file: string, line: number, col: number): Diagnostic => ({ file, line, col, severity: "error", message: `${file}:${line}:${col}` });

describe("the order of diagnostics", () => {
  it("is by file, then line, then column, as an editor lists them", () => {
    const sorted = sortDiagnostics([at("envs/prod.yaml", 1, 1), at("envs/beta.yaml", 12, 3), at("envs/beta.yaml", 12, 1), at("envs/beta.yaml", 2, 9), at("envs/beta.yaml", 30, 1)]);
    expect(sorted.map((d) => d.message)).to.deep.equal(["envs/beta.yaml:2:9", "envs/beta.yaml:12:1", "envs/beta.yaml:12:3", "envs/beta.yaml:30:1", "envs/prod.yaml:1:1"]);
  });
});
