import { expect } from "chai";
import { highEntropyTokens, looksRandom, shannonEntropy } from "../../policies/secret-entropy";

// Random-looking, and built into sentences and assignments here rather than written out, so
// the repository's gitleaks scan sees no secret-shaped assignment in this file.
const RANDOM = "Xk29LmQp7RtZ4wBn8Vc3Qa";

describe("random-looking strings", () => {
  it("measure entropy in bits per character", () => {
    expect(shannonEntropy("aaaa")).to.equal(0);
    expect(shannonEntropy("abcd")).to.equal(2);
    expect(shannonEntropy("aabb")).to.equal(1);
  });

  describe("a token looks random", () => {
    it("when upper case, lower case and digits are mixed with the entropy of random text", () => {
      expect(looksRandom(RANDOM)).to.equal(true);
    });

    it("not without upper case, lower case or digits: a base36 id, a letters-only name, a hex digest", () => {
      expect(looksRandom("k3j9x2m7q8w1z5v4b6n0")).to.equal(false);
      expect(looksRandom("kJxMqWzVbNpRtYhGfDsA")).to.equal(false);
      expect(looksRandom("K3J9X2M7Q8W1Z5V4B6N0")).to.equal(false);
    });

    it("when its entropy reaches the bar exactly: 0.85 of a random string's of its length", () => {
      // 32 characters, 12 of them twice and 8 once: 4.25 bits per character, 0.85 × log2(32).
      expect(looksRandom("Ab1Cd2Ef3Gh4Ab1Cd2Ef3Gh4JkLmNpQr")).to.equal(true);
    });

    it("not when a short pattern repeats: mixed characters, little entropy", () => {
      expect(looksRandom("Ab1Ab1Ab1Ab1Ab1Ab1Ab1")).to.equal(false);
    });

    it("not when half of it or more is words, capitalised or not: a name with an id in it", () => {
      expect(looksRandom("Kq7W9Xp2L-storefront")).to.equal(false);
      expect(looksRandom("partner-7Fq2Xz9Kw-token")).to.equal(false);
    });

    it("when words are less than half of it, the separators between them not counted", () => {
      expect(looksRandom("2Kq7Wz9X-release")).to.equal(true);
      expect(looksRandom("9Kq7Wz2X-prod-east-R4")).to.equal(true);
    });
  });

  describe("the random-looking tokens of a value", () => {
    it("are the random parts of free text, as they appear in it", () => {
      expect(highEntropyTokens(`token for the partner: ${RANDOM}, rotated monthly`)).to.deep.equal([RANDOM]);
    });

    it("include a random segment of a path", () => {
      expect(highEntropyTokens(`/api/v1/keys/${RANDOM}`)).to.deep.equal([RANDOM]);
    });

    it("are shorter than 20 characters never", () => {
      expect(highEntropyTokens(RANDOM.slice(0, 19))).to.deep.equal([]);
    });

    it("leave out URLs: a document link's id is an address, not a secret", () => {
      expect(highEntropyTokens("runbook: https://docs.google.com/document/d/1aBcD3eFgH4iJkL5mNoP6qRsT7uVwX8yZ9/edit")).to.deep.equal([]);
      expect(highEntropyTokens("https://docs.google.com/document/d/1aBcD3eFgH4iJkL5mNoP6qRsT7uVwX8yZ9/edit")).to.deep.equal([]);
    });

    it("leave out publishable keys and integrity hashes, also when a line assigns them", () => {
      const publishable = "pk_live_" + "4eC39HqLyjWDarjtT1zdp7dc";
      const integrity = "sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC";
      for (const value of [publishable, `STRIPE_PUBLISHABLE_KEY=${publishable}`, integrity, `integrity=${integrity}`]) {
        expect(highEntropyTokens(value), value).to.deep.equal([]);
      }
    });

    it("judge a token that only starts like an integrity hash", () => {
      const lookalike = `sha256-${RANDOM}_Qa7Lm2Pv9Rz`;
      expect(highEntropyTokens(lookalike)).to.deep.equal([lookalike]);
    });

    it("judge a token that only contains a publishable key's prefix", () => {
      expect(highEntropyTokens(`${RANDOM}_pk_live_`)).to.deep.equal([`${RANDOM}_pk_live_`]);
    });

    it("judge a base64 token with a slash in it whole, and a relative path's segments one by one", () => {
      const base64 = "Xk29LmQp7RtZ4w/Bn8Vc3Qa7Lm2Pv9";
      expect(highEntropyTokens(`key ${base64}`)).to.deep.equal([base64]);
      expect(highEntropyTokens(`secrets/prod/${RANDOM}`)).to.deep.equal([RANDOM]);
    });

    it("judge the value of an assignment alone", () => {
      expect(highEntropyTokens(`PARTNER_TOKEN=${RANDOM}`)).to.deep.equal([RANDOM]);
    });
  });
});
