import { expect } from "chai";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { loadComponentSchemas, type ComponentSchema } from "../../cli/config/component-schemas";
import { Diagnostics } from "../../cli/config/diagnostics";
import type { PipelineFile } from "../../cli/config/formats/pipeline-file";
import { parseYaml } from "../../cli/config/source";

const OBJECT_SCHEMA = '{ "type": "object", "properties": { "logLevel": { "enum": ["INFO", "ERROR"] } } }';

describe("component schemas", () => {
  let root: string;
  let envsDir: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), "dcp-schemas-"));
    envsDir = path.join(root, "envs");
    mkdirSync(path.join(envsDir, "schemas"), { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** Loads the schemas that a pipeline.yaml with these `components:` lines names, reporting under envs/. */
  async function load(files: Record<string, string>, ...componentLines: string[]): Promise<{ schemas: Record<string, ComponentSchema>; problems: string[] }> {
    for (const [file, text] of Object.entries(files)) writeFileSync(path.join(envsDir, file), text);
    const { source } = parseYaml(["workload: w", "stages: [beta]", "components:", ...componentLines, ""].join("\n"), "envs/pipeline.yaml");
    const diagnostics = new Diagnostics();
    const schemas = await loadComponentSchemas(envsDir, "envs", source!.data as PipelineFile, source!, diagnostics);
    return { schemas, problems: diagnostics.all.map((d) => `${d.file}:${d.line}:${d.col} ${d.message}`) };
  }

  it("compiles each component's schema and keeps it as written", async () => {
    const { schemas, problems } = await load({ "schemas/checkout.json": OBJECT_SCHEMA }, "  checkout:", "    schema: schemas/checkout.json");
    expect(problems).to.deep.equal([]);
    expect(schemas.checkout?.schema).to.deep.equal(JSON.parse(OBJECT_SCHEMA));
    expect(schemas.checkout?.validate({ logLevel: "INFO" })).to.equal(true);
    expect(schemas.checkout?.validate({ logLevel: "LOUD" })).to.equal(false);
  });

  it("reports a missing schema file at the component's schema path", async () => {
    const { problems } = await load({}, "  checkout:", "    schema: schemas/checkout.json");
    expect(problems).to.deep.equal(['envs/pipeline.yaml:5:13 schema file "schemas/checkout.json" not found']);
  });

  it("reports a schema path that is no file with the system's reason", async () => {
    const { problems } = await load({}, "  checkout:", "    schema: .");
    expect(problems).to.deep.equal(['envs/pipeline.yaml:5:13 cannot read schema file ".": EISDIR: illegal operation on a directory, read']);
  });

  it("reports a shared schema file once, however many components use it", async () => {
    const { schemas, problems } = await load(
      { "schemas/shared.json": '{\n  "type": "object",\n  "properties": { "a": { "type": "string" }, }\n}\n' },
      "  checkout:",
      "    schema: schemas/shared.json",
      "  payments:",
      "    schema: schemas/shared.json",
    );
    expect(schemas).to.deep.equal({});
    expect(problems).to.deep.equal(["envs/schemas/shared.json:3:46 invalid JSON: Expected double-quoted property name"]);
  });

  it("compiles a shared schema file once for all the components that use it", async () => {
    const { schemas, problems } = await load({ "schemas/shared.json": OBJECT_SCHEMA }, "  checkout:", "    schema: schemas/shared.json", "  payments:", "    schema: schemas/shared.json");
    expect(problems).to.deep.equal([]);
    expect(schemas.payments).to.equal(schemas.checkout);
  });

  it("refuses a schema that is not a JSON object", async () => {
    const { problems } = await load(
      { "schemas/a.json": "[]", "schemas/b.json": "null", "schemas/c.json": '"object"' },
      "  a:",
      "    schema: schemas/a.json",
      "  b:",
      "    schema: schemas/b.json",
      "  c:",
      "    schema: schemas/c.json",
    );
    expect(problems).to.have.members(["a", "b", "c"].map((c) => `envs/schemas/${c}.json:1:1 a component schema must be a JSON object (a JSON Schema, draft-04)`));
  });

  it("refuses a JSON object that is not a valid draft-04 schema, saying why", async () => {
    const { schemas, problems } = await load({ "schemas/a.json": '{ "type": 5 }' }, "  a:", "    schema: schemas/a.json");
    expect(schemas).to.deep.equal({});
    expect(problems).to.have.length(1);
    expect(problems[0]).to.match(/^envs\/schemas\/a\.json:1:1 not a valid JSON Schema \(draft-04, as AppConfig uses\): schema is invalid: data\/type must be/);
  });
});
