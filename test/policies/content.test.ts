import { expect } from "chai";
import { classifyContent, componentNamed, isFlagDocument, isRecord, valueAt } from "../../policies/content";

describe("hosted configuration content", () => {
  describe("the component a resource is named after", () => {
    it("is the component whose name is whole words of the resource's", () => {
      expect(componentNamed("checkout", ["checkout", "payments"])).to.equal("checkout");
      expect(componentNamed("storefront-prod-checkout-v3", ["checkout", "payments"])).to.equal("checkout");
      expect(componentNamed("storefront_prod.payments", ["checkout", "payments"])).to.equal("payments");
    });

    it("is not a component whose name is only part of a word", () => {
      expect(componentNamed("checkouts", ["checkout"])).to.equal(undefined);
      expect(componentNamed("precheckout", ["checkout"])).to.equal(undefined);
    });

    it("is the longest one when several match, whatever separates their words", () => {
      expect(componentNamed("checkout-api-config", ["checkout", "checkout_api", "api"])).to.equal("checkout_api");
      expect(componentNamed("checkout-api-config", ["api", "checkout.api", "checkout"])).to.equal("checkout.api");
      expect(componentNamed("checkout__api-config", ["checkout-api"])).to.equal("checkout-api");
      expect(componentNamed("checkout-api-config", ["checkout__api"])).to.equal("checkout__api");
    });

    it("is none when no component matches", () => {
      expect(componentNamed("feature-flags", ["checkout"])).to.equal(undefined);
      expect(componentNamed("feature-flags", [])).to.equal(undefined);
    });
  });

  describe("a feature-flag document", () => {
    it("has both flags and values", () => {
      expect(isFlagDocument({ version: "1", flags: {}, values: {} })).to.equal(true);
      expect(isFlagDocument({ flags: {} })).to.equal(false);
      expect(isFlagDocument({ values: {} })).to.equal(false);
    });
  });

  describe("a record", () => {
    it("is an object that is neither null nor an array", () => {
      expect(isRecord({})).to.equal(true);
      expect(isRecord(null)).to.equal(false);
      expect(isRecord([])).to.equal(false);
      expect(isRecord("flags")).to.equal(false);
    });
  });

  describe("classified", () => {
    const flags = { version: "1", flags: {}, values: {} };

    it("is a component's config when the resource names a component", () => {
      expect(classifyContent("checkout", "application/json", '{"logLevel":"INFO"}', ["checkout"])).to.deep.equal({
        kind: "component",
        component: "checkout",
        config: { logLevel: "INFO" },
      });
    });

    it("is the feature-flag document by its shape when no component is named", () => {
      expect(classifyContent("feature-flags", "application/json", JSON.stringify(flags), ["checkout"])).to.deep.equal({ kind: "feature-flags", document: flags });
    });

    it("is a component's config, flag-shaped or not, when the resource names a component", () => {
      expect(classifyContent("checkout", "application/json", JSON.stringify(flags), ["checkout"])).to.deep.equal({
        kind: "component",
        component: "checkout",
        config: flags,
      });
    });

    it("is config of no known component when it has neither", () => {
      expect(classifyContent("mystery", undefined, "[1]", ["checkout"])).to.deep.equal({ kind: "component", component: undefined, config: [1] });
      expect(classifyContent("mystery", undefined, '"flags"', [])).to.deep.equal({ kind: "component", component: undefined, config: "flags" });
    });

    it("is read as JSON whatever the JSON content type's spelling, or without one", () => {
      for (const contentType of ["application/json", "Application/JSON", "application/vnd.api+json", undefined]) {
        expect(classifyContent("checkout", contentType, "{}", ["checkout"]).kind, String(contentType)).to.equal("component");
      }
    });

    it("is not JSON, with the parser's reason, when JSON content does not parse", () => {
      const content = classifyContent("checkout", "application/json", "logLevel: INFO", ["checkout"]);
      expect(content.kind).to.equal("not-json");
      expect((content as { error: string }).error).to.match(/JSON/);
    });

    it("is something else when it is declared as another type, or is not text", () => {
      expect(classifyContent("checkout", "text/plain", "{}", ["checkout"])).to.deep.equal({ kind: "other" });
      expect(classifyContent("checkout", "application/json", undefined, ["checkout"])).to.deep.equal({ kind: "other" });
    });
  });

  describe("the value at a dotted path", () => {
    const config = { throttling: { requestsPerSecond: 800, burst: 0 }, pools: [{ size: 4 }] };

    it("is found through nested objects", () => {
      expect(valueAt(config, "throttling.requestsPerSecond")).to.equal(800);
      expect(valueAt(config, "throttling.burst")).to.equal(0);
      expect(valueAt(config, "throttling")).to.deep.equal({ requestsPerSecond: 800, burst: 0 });
    });

    it("is undefined when the path leaves the objects", () => {
      expect(valueAt(config, "throttling.requestsPerSecond.max")).to.equal(undefined);
      expect(valueAt(config, "connections.max")).to.equal(undefined);
      expect(valueAt(config, "pools.0.size")).to.equal(undefined);
      expect(valueAt(null, "throttling")).to.equal(undefined);
    });
  });
});
