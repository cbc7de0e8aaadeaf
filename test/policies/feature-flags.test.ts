import { expect } from "chai";
import { featureFlagsValidFormat, noExpiredFlagsInProduction } from "../../policies/feature-flags";
import { featureFlagProblems } from "../../policies/feature-flag-format";
import { copy, violationsOf, type ResourceUnderTest } from "./harness";

const VERSION = "aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion";

const happyDocument = {
  version: "1",
  flags: {
    "one-page-checkout": {
      name: "one-page-checkout",
      description: "Single-page checkout",
      attributes: {
        rolloutPercent: { constraints: { type: "number", minimum: 0, maximum: 100, required: true } },
        layout: { constraints: { type: "string", enum: ["compact", "expanded"] } },
        boostCategories: { constraints: { type: "array", elements: { type: "string", pattern: "^[a-z]+$" } } },
      },
    },
    "holiday-banner": { name: "holiday-banner" },
  },
  values: {
    "one-page-checkout": { enabled: true, rolloutPercent: 10, layout: "compact", boostCategories: ["shoes"] },
    "holiday-banner": { enabled: true },
  },
};

type Document = typeof happyDocument & Record<string, unknown>;

function getHappyPathArgs(change: (document: Document) => void = () => {}): ResourceUnderTest {
  const document = copy(happyDocument) as Document;
  change(document);
  return {
    type: VERSION,
    name: "feature-flags",
    props: { applicationId: "app", configurationProfileId: "p", contentType: "application/json", content: JSON.stringify(document) },
  };
}

describe("feature flag policies", () => {
  describe("feature-flags-valid-format", () => {
    it("passes a valid AppConfig feature-flag document", async () => {
      expect(await violationsOf(featureFlagsValidFormat, getHappyPathArgs())).to.deep.equal([]);
    });

    it("rejects a version other than \"1\"", async () => {
      const messages = await violationsOf(featureFlagsValidFormat, getHappyPathArgs((d) => (d.version = "2")));
      expect(messages).to.deep.equal(['version must be "1", found "2".']);
    });

    it("rejects a flag key AppConfig does not accept", async () => {
      const messages = await violationsOf(
        featureFlagsValidFormat,
        getHappyPathArgs((d) => {
          (d.flags as Record<string, unknown>)["Bad Key"] = { name: "bad" };
          (d.values as Record<string, unknown>)["Bad Key"] = { enabled: false };
        }),
      );
      expect(messages[0]).to.match(/^flag "Bad Key": key must start with a lower-case letter/);
    });

    it("rejects a flag without a name", async () => {
      const messages = await violationsOf(featureFlagsValidFormat, getHappyPathArgs((d) => ((d.flags["holiday-banner"] as { name?: string }).name = "")));
      expect(messages).to.deep.equal(['flag "holiday-banner" needs a name of 1 to 64 characters.']);
    });

    it("rejects an attribute value outside its constraints", async () => {
      const messages = await violationsOf(featureFlagsValidFormat, getHappyPathArgs((d) => (d.values["one-page-checkout"].rolloutPercent = 150)));
      expect(messages).to.deep.equal(['flag "one-page-checkout" attribute "rolloutPercent" = 150 is above the maximum 100.']);
    });

    it("rejects an attribute value not in its enum", async () => {
      const messages = await violationsOf(featureFlagsValidFormat, getHappyPathArgs((d) => (d.values["one-page-checkout"].layout = "wide")));
      expect(messages[0]).to.match(/attribute "layout" = "wide" is not one of/);
    });

    it("rejects an array element that breaks the element constraints", async () => {
      const messages = await violationsOf(featureFlagsValidFormat, getHappyPathArgs((d) => (d.values["one-page-checkout"].boostCategories = ["Shoes"])));
      expect(messages[0]).to.match(/attribute "boostCategories"\[0\] = "Shoes" does not match/);
    });

    it("rejects an enabled flag missing a required attribute", async () => {
      const messages = await violationsOf(
        featureFlagsValidFormat,
        getHappyPathArgs((d) => delete (d.values["one-page-checkout"] as Partial<typeof d.values["one-page-checkout"]>).rolloutPercent),
      );
      expect(messages).to.deep.equal(['flag "one-page-checkout": required attribute "rolloutPercent" has no value.']);
    });

    it("rejects a value for a flag that is not declared", async () => {
      const messages = await violationsOf(featureFlagsValidFormat, getHappyPathArgs((d) => ((d.values as Record<string, unknown>).ghost = { enabled: true })));
      expect(messages).to.deep.equal(['values has an entry for "ghost", which is not a declared flag.']);
    });

    it("rejects a constraint type AppConfig does not know", async () => {
      const messages = await violationsOf(
        featureFlagsValidFormat,
        getHappyPathArgs((d) => ((d.flags["one-page-checkout"].attributes.layout.constraints as { type: string }).type = "date")),
      );
      expect(messages[0]).to.match(/attribute "layout": constraint type "date" is not one of/);
    });

    it("rejects a string attribute with both a pattern and an enum", async () => {
      const messages = await violationsOf(
        featureFlagsValidFormat,
        getHappyPathArgs((d) => ((d.flags["one-page-checkout"].attributes.layout.constraints as Record<string, unknown>).pattern = "^[a-z]+$")),
      );
      expect(messages).to.deep.equal(['flag "one-page-checkout" attribute "layout": use a pattern or an enum, not both.']);
    });

    it("reports at most 20 problems of a document by default, then how many more there are", async () => {
      const messages = await violationsOf(
        featureFlagsValidFormat,
        getHappyPathArgs((d) => {
          for (let i = 0; i < 22; i++) (d.values as Record<string, unknown>)[`ghost${i}`] = { enabled: true };
        }),
      );
      expect(messages).to.have.length(21);
      expect(messages[19]).to.equal('values has an entry for "ghost19", which is not a declared flag.');
      expect(messages[20]).to.equal("and 2 more problems.");
    });

    it("reports as many problems as config allows", async () => {
      const args = getHappyPathArgs((d) => {
        for (let i = 0; i < 3; i++) (d.values as Record<string, unknown>)[`ghost${i}`] = { enabled: true };
      });
      expect(await violationsOf(featureFlagsValidFormat, args, { maxProblemsReported: 3 })).to.have.length(3);
      expect(await violationsOf(featureFlagsValidFormat, args, { maxProblemsReported: 2 })).to.deep.equal([
        'values has an entry for "ghost0", which is not a declared flag.',
        'values has an entry for "ghost1", which is not a declared flag.',
        "and 1 more problems.",
      ]);
    });

    it("does not judge a component's config as a flag document", async () => {
      const args = { ...getHappyPathArgs((d) => (d.version = "2")), name: "checkout" };
      args.props.content = JSON.stringify({ logLevel: "ERROR", flags: "none" });
      expect(await violationsOf(featureFlagsValidFormat, args)).to.deep.equal([]);
    });

    it("rejects more than 25 attributes on one flag", () => {
      const attributes = Object.fromEntries(Array.from({ length: 26 }, (_, i) => [`a${i}`, { constraints: { type: "boolean" } }]));
      const problems = featureFlagProblems({ version: "1", flags: { big: { name: "big", attributes } }, values: { big: { enabled: false } } });
      expect(problems).to.deep.equal(['flag "big" has more than 25 attributes']);
    });
  });

  describe("no-expired-flags-in-production", () => {
    const production = { production: true, today: "2026-11-24" };

    it("passes enabled flags that have not expired", async () => {
      expect(await violationsOf(noExpiredFlagsInProduction, getHappyPathArgs(), { ...production, expiries: { "holiday-banner": "2027-01-15" } })).to.deep.equal([]);
    });

    it("rejects an enabled flag past its expiry date", async () => {
      const messages = await violationsOf(noExpiredFlagsInProduction, getHappyPathArgs(), { ...production, expiries: { "holiday-banner": "2026-01-15" } });
      expect(messages).to.deep.equal(['flag "holiday-banner" expired on 2026-01-15 and is still enabled; switch it off or remove it from the catalogue.']);
    });

    it("rejects an enabled flag the program marked for deprecation", async () => {
      const args = getHappyPathArgs((d) => ((d.flags["holiday-banner"] as Record<string, unknown>)._deprecation = { status: "planned" }));
      expect((await violationsOf(noExpiredFlagsInProduction, args, production))[0]).to.match(/^flag "holiday-banner" is marked for deprecation/);
    });

    it("allows an expired flag that is switched off", async () => {
      const args = getHappyPathArgs((d) => (d.values["holiday-banner"].enabled = false));
      expect(await violationsOf(noExpiredFlagsInProduction, args, { ...production, expiries: { "holiday-banner": "2026-01-15" } })).to.deep.equal([]);
    });

    it("allows a flag on its expiry date, and a flag without one", async () => {
      const config = { ...production, expiries: { "holiday-banner": "2026-11-24" } };
      expect(await violationsOf(noExpiredFlagsInProduction, getHappyPathArgs(), config)).to.deep.equal([]);
    });

    it("judges expiry on today's date in UTC when config gives none", async () => {
      const expired = await violationsOf(noExpiredFlagsInProduction, getHappyPathArgs(), { production: true, expiries: { "holiday-banner": "2000-01-01" } });
      expect(expired).to.have.length(1);
      const later = await violationsOf(noExpiredFlagsInProduction, getHappyPathArgs(), { production: true, expiries: { "holiday-banner": "9999-12-31" } });
      expect(later).to.deep.equal([]);
    });

    it("judges expiry by the date alone: a flag expiring today (UTC) is still allowed when config gives no date", async () => {
      // The policy reads the real clock here; only a run crossing midnight UTC between these two lines could disagree.
      const today = new Date().toISOString().slice(0, 10);
      expect(await violationsOf(noExpiredFlagsInProduction, getHappyPathArgs(), { production: true, expiries: { "holiday-banner": today } })).to.deep.equal([]);
    });

    it("treats a stage as not production when config does not say", async () => {
      expect(await violationsOf(noExpiredFlagsInProduction, getHappyPathArgs(), { expiries: { "holiday-banner": "2000-01-01" } })).to.deep.equal([]);
    });

    it("reports an expired flag once, though it is also marked for deprecation", async () => {
      const args = getHappyPathArgs((d) => ((d.flags["holiday-banner"] as Record<string, unknown>)._deprecation = { status: "planned" }));
      expect(await violationsOf(noExpiredFlagsInProduction, args, { ...production, expiries: { "holiday-banner": "2026-01-15" } })).to.deep.equal([
        'flag "holiday-banner" expired on 2026-01-15 and is still enabled; switch it off or remove it from the catalogue.',
      ]);
    });

    it("says what to do about a flag marked for deprecation, and allows it switched off", async () => {
      const marked = (enabled: boolean) =>
        getHappyPathArgs((d) => {
          (d.flags["holiday-banner"] as Record<string, unknown>)._deprecation = { status: "planned" };
          d.values["holiday-banner"].enabled = enabled;
        });
      expect(await violationsOf(noExpiredFlagsInProduction, marked(true), production)).to.deep.equal([
        'flag "holiday-banner" is marked for deprecation and is still enabled; switch it off or remove it.',
      ]);
      expect(await violationsOf(noExpiredFlagsInProduction, marked(false), production)).to.deep.equal([]);
    });

    it("leaves documents it cannot read to the format policy", async () => {
      const broken = [
        getHappyPathArgs((d) => ((d as Record<string, unknown>).values = [])),
        getHappyPathArgs((d) => ((d as Record<string, unknown>).flags = [])),
        getHappyPathArgs((d) => ((d.values as Record<string, unknown>)["holiday-banner"] = "on")),
      ];
      for (const args of broken) expect(await violationsOf(noExpiredFlagsInProduction, args, { ...production, expiries: { "holiday-banner": "2026-01-15" } })).to.deep.equal([]);
    });

    it("judges the flag document by its shape, and content of another type not at all", async () => {
      const config = { ...production, expiries: { "holiday-banner": "2026-01-15" } };
      const args = { ...getHappyPathArgs(), name: "storefront-flags-v2" };
      expect(await violationsOf(noExpiredFlagsInProduction, args, config)).to.have.length(1);
      args.props.contentType = "text/plain";
      expect(await violationsOf(noExpiredFlagsInProduction, args, config)).to.deep.equal([]);
    });

    it("treats a stage as not production when config does not say", async () => {
      expect(await violationsOf(noExpiredFlagsInProduction, getHappyPathArgs(), { expiries: { "holiday-banner": "2026-01-15" } })).to.deep.equal([]);
    });

    it("allows an expired flag outside production", async () => {
      expect(await violationsOf(noExpiredFlagsInProduction, getHappyPathArgs(), { production: false, expiries: { "holiday-banner": "2026-01-15" } })).to.deep.equal([]);
    });
  });
});
