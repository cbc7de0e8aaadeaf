import { expect } from "chai";
import * as path from "node:path";
import { parseYaml, positionOf, readYamlFile, type SourceFile } from "../../cli/config/source";

function sourceOf(text: string): SourceFile {
  const { source, diagnostics } = parseYaml(text, "envs/beta.yaml");
  if (source === undefined) throw new Error(`does not parse: ${JSON.stringify(diagnostics)}`);
  return source;
}

describe("reading a configuration file", () => {
  it("reports a missing file as not found, under the path the user knows it by", async () => {
    expect(await readYamlFile(path.join(__dirname, "no-such-file.yaml"), "envs/beta.yaml")).to.deep.equal({
      diagnostics: [{ file: "envs/beta.yaml", line: 1, col: 1, severity: "error", message: "file not found" }],
    });
  });

  it("reports a file it cannot read with the system's reason", async () => {
    const { source, diagnostics } = await readYamlFile(__dirname, "envs/beta.yaml");
    expect(source).to.equal(undefined);
    expect(diagnostics).to.have.length(1);
    expect(diagnostics[0]).to.include({ file: "envs/beta.yaml", line: 1, col: 1, severity: "error" });
    expect(diagnostics[0]?.message).to.match(/^cannot read file \(EISDIR: /);
  });

  it("keeps the parsed values with their source", async () => {
    const { source, diagnostics } = await readYamlFile(path.resolve(__dirname, "../../envs/beta.yaml"), "envs/beta.yaml");
    expect(diagnostics).to.deep.equal([]);
    expect(source?.path).to.equal("envs/beta.yaml");
    expect(source?.data).to.include({ account: "111111111111", approval: "none" });
  });
});

describe("parsing YAML", () => {
  const tenLines = Array.from({ length: 10 }, (_, i) => `k${i}: 1\n`).join("");

  it("gives the parser's reason in one line, at the line and column it names, without repeating the position", () => {
    expect(parseYaml(`${tenLines}greeting: 'hello' world\n`, "envs/beta.yaml").diagnostics).to.deep.equal([
      { file: "envs/beta.yaml", line: 11, col: 19, severity: "error", message: "invalid YAML: Unexpected scalar at node end" },
    ]);
  });

  it("reports an alias to no anchor at the alias", () => {
    expect(parseYaml(`${tenLines}aaaaaaaaaaaa: *nope\n`, "envs/beta.yaml").diagnostics).to.deep.equal([
      { file: "envs/beta.yaml", line: 11, col: 15, severity: "error", message: "invalid YAML: Unresolved alias (the anchor must be set before the alias): nope" },
    ]);
  });

  it("reports a syntax error alone, not the duplicate keys of the half-read document", () => {
    const { diagnostics } = parseYaml("a: 1\na: 2\nb: [x\n", "f.yaml");
    expect(diagnostics.map((d) => [d.line, d.message])).to.deep.equal([[4, "invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]"]]);
  });

  it("reports every duplicate key in its own words, at the repeated key", () => {
    const { diagnostics } = parseYaml("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n", "f.yaml");
    expect(diagnostics).to.have.deep.members([
      { file: "f.yaml", line: 4, col: 3, severity: "error", message: 'duplicate key "c": a key may appear only once in a mapping' },
      { file: "f.yaml", line: 5, col: 1, severity: "error", message: 'duplicate key "a": a key may appear only once in a mapping' },
    ]);
  });

  it("does not take two keys given by different aliases for duplicates", () => {
    const { source, diagnostics } = parseYaml("a: &k one\nb: &j two\n*k : 1\n*j : 2\n", "f.yaml");
    expect(diagnostics).to.deep.equal([]);
    expect(source?.data).to.deep.equal({ a: "one", b: "two", one: 1, two: 2 });
  });

  it("calls a file of only comments or of only null empty", () => {
    const empty = { file: "f.yaml", line: 1, col: 1, severity: "error", message: "file is empty; expected a mapping of keys to values" };
    expect(parseYaml("# nothing yet\n", "f.yaml").diagnostics).to.deep.equal([empty]);
    expect(parseYaml("~\n", "f.yaml").diagnostics).to.deep.equal([empty]);
  });

  it("leaves a document that is a single value to the file's schema to judge", () => {
    const { source, diagnostics } = parseYaml("hello\n", "f.yaml");
    expect(diagnostics).to.deep.equal([]);
    expect(source?.data).to.equal("hello");
  });

  it("reports a merge key whose value is not a mapping", () => {
    expect(parseYaml("a: 1\n<<: 5\n", "f.yaml").diagnostics).to.deep.equal([
      { file: "f.yaml", line: 1, col: 1, severity: "error", message: "invalid YAML: Merge sources must be maps or map aliases" },
    ]);
  });

  describe("tab indentation", () => {
    it("points at the first tab-indented line and counts the lines indented with tabs", () => {
      const { diagnostics } = parseYaml("a:\n  b: 1\nc:\n\td: 1\n\te: 2\n", "f.yaml");
      expect(diagnostics).to.deep.equal([
        { file: "f.yaml", line: 4, col: 1, severity: "error", message: "indented with a tab (2 lines are): YAML indentation must be spaces; replace the tabs with spaces" },
      ]);
    });

    it("does not count a line twice for two tabs, nor a tab inside a value", () => {
      const { diagnostics } = parseYaml("a:\n\t\tb: 1\nc: x\ty\n", "f.yaml");
      expect(diagnostics.map((d) => d.message)).to.deep.equal(["indented with a tab: YAML indentation must be spaces; replace the tabs with spaces"]);
    });
  });
});

describe("the position of a value", () => {
  const text = ["defaults: &defaults", "  period: 60", "alarms:", "  - name: a", "    <<: *defaults", "  - name: b", "shared: *defaults", "waves:", "  - regions: [us-east-1]", "count: 3", ""].join("\n");
  let source: SourceFile;
  before(() => (source = sourceOf(text)));

  it("is the value's own line and column, or its key's", () => {
    expect(positionOf(source, ["alarms", 1, "name"])).to.deep.equal({ line: 6, col: 11 });
    expect(positionOf(source, ["alarms", 1, "name"], { key: true })).to.deep.equal({ line: 6, col: 5 });
    expect(positionOf(source, ["waves", 0, "regions", 0])).to.deep.equal({ line: 9, col: 15 });
  });

  it("follows an alias to the anchored value", () => {
    expect(positionOf(source, ["shared", "period"])).to.deep.equal({ line: 2, col: 11 });
  });

  it("is the nearest enclosing value when the path goes further than the file", () => {
    expect(positionOf(source, ["alarms", 5, "name"])).to.deep.equal({ line: 4, col: 3 });
    expect(positionOf(source, ["alarms", "name"])).to.deep.equal({ line: 4, col: 3 });
    expect(positionOf(source, ["count", 0])).to.deep.equal({ line: 10, col: 8 });
    expect(positionOf(source, ["count", "max"])).to.deep.equal({ line: 10, col: 8 });
    expect(positionOf(source, ["missing"])).to.deep.equal({ line: 1, col: 1 });
  });

  it("with `key`, is the last key found on the way", () => {
    expect(positionOf(source, ["alarms", 5], { key: true })).to.deep.equal({ line: 3, col: 1 });
    expect(positionOf(source, [], { key: true })).to.deep.equal({ line: 1, col: 1 });
  });
});
