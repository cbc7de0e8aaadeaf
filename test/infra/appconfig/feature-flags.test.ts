import { expect } from "chai";
import { renderFeatureFlags } from "../../../infra/appconfig/feature-flags";
import type { StackConfig } from "../../../infra/stack-config";

type Flags = StackConfig["flags"];

const flags: Flags = {
  "one-page-checkout": {
    declaration: {
      description: "Single-page checkout",
      owner: "team-checkout",
      components: ["checkout"],
      attributes: {
        rolloutPercent: { type: "number", minimum: 0, maximum: 100, required: true, description: "Share of sessions" },
        layout: { type: "string", enum: ["compact", "expanded"] },
        tags: { type: "string[]", pattern: "^[a-z]+$" },
        buckets: { type: "number[]", minimum: 1 },
        sticky: { type: "boolean" },
      },
    },
    value: { enabled: true, rolloutPercent: 10, layout: "compact", tags: ["a"], buckets: [1, 2], sticky: true },
  },
  "holiday-banner": {
    declaration: { name: "Holiday banner", description: "Banner", owner: "team-catalog", components: ["catalog"], expires: "2026-01-15" },
    value: { enabled: false },
  },
};

describe("rendering feature flags in AppConfig's format", () => {
  it("writes format version 1 with a definition and a value per flag", () => {
    const document = renderFeatureFlags(flags, "2025-06-01");
    expect(document.version).to.equal("1");
    expect(Object.keys(document.flags)).to.deep.equal(["one-page-checkout", "holiday-banner"]);
    expect(document.values).to.deep.equal({
      "one-page-checkout": { enabled: true, rolloutPercent: 10, layout: "compact", tags: ["a"], buckets: [1, 2], sticky: true },
      "holiday-banner": { enabled: false },
    });
  });

  it("names a flag by its key unless the catalogue gives it a name", () => {
    const document = renderFeatureFlags(flags, "2025-06-01");
    expect(document.flags["one-page-checkout"]?.name).to.equal("one-page-checkout");
    expect(document.flags["holiday-banner"]?.name).to.equal("Holiday banner");
  });

  it("turns each attribute type into AppConfig's constraint kind, array elements carrying the element constraints", () => {
    const attributes = renderFeatureFlags(flags, "2025-06-01").flags["one-page-checkout"]?.attributes;
    expect(attributes).to.deep.equal({
      rolloutPercent: { description: "Share of sessions", constraints: { type: "number", minimum: 0, maximum: 100, required: true } },
      layout: { constraints: { type: "string", enum: ["compact", "expanded"] } },
      tags: { constraints: { type: "array", elements: { type: "string", pattern: "^[a-z]+$" } } },
      buckets: { constraints: { type: "array", elements: { type: "number", minimum: 1 } } },
      sticky: { constraints: { type: "boolean" } },
    });
  });

  it("marks a flag past its expiry date as planned for deprecation, from that day on", () => {
    expect(renderFeatureFlags(flags, "2026-01-14").flags["holiday-banner"]).not.to.have.property("_deprecation");
    expect(renderFeatureFlags(flags, "2026-01-15").flags["holiday-banner"]?._deprecation).to.deep.equal({ status: "planned" });
    expect(renderFeatureFlags(flags, "2030-01-01").flags["one-page-checkout"]).not.to.have.property("_deprecation");
  });

  it("refuses a constraint AppConfig cannot express rather than dropping it", () => {
    const unexpressible: Flags = {
      limits: {
        declaration: { description: "d", owner: "o", components: ["c"], attributes: { size: { type: "number", enum: [1, 2] } } },
        value: { enabled: true, size: 1 },
      },
    };
    expect(() => renderFeatureFlags(unexpressible, "2025-06-01")).to.throw(
      "flag limits, attribute size: AppConfig cannot constrain a number attribute with enum",
    );
  });
});
