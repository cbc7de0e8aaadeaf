/**
 * Random-looking strings: the shape of keys and tokens that no pattern names. Hex
 * digests, identifiers and public-by-design tokens are not random enough, or not secret.
 */

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

/**
 * Random-looking: upper case, lower case and digits mixed, and close to the entropy a
 * random string of that length would have. English-like identifiers, kebab-case ids,
 * hex digests and release ids fall short of one or the other.
 */
export function looksRandom(token: string): boolean {
  if (!/[a-z]/.test(token) || !/[A-Z]/.test(token) || !/[0-9]/.test(token)) return false;
  // Identifiers such as "OrderServiceHandlerV2" are mostly words; random text has few runs of lower case.
  const wordChars = (token.match(/[A-Z]?[a-z]{3,}/g) ?? []).join("").length;
  if (wordChars >= token.length / 2) return false;
  const ideal = Math.log2(Math.min(token.length, 64));
  return shannonEntropy(token) >= 0.85 * ideal;
}

const HIGH_ENTROPY_MIN_LENGTH = 20;

/**
 * Random by design and public by design: Stripe publishable keys, and Subresource
 * Integrity hashes (`sha512-…`, as in package-lock.json), which are digests of public files.
 */
const PUBLIC_TOKEN = /^(pk_(live|test)_|sha(256|384|512)-[A-Za-z0-9+/]+$)/;

/** The random-looking tokens of a value, each as it appears in it. */
export function highEntropyTokens(value: string): string[] {
  // URLs are addresses, not secrets (a password inside one is caught by its own rule).
  // Stryker disable next-line StringLiteral: a URL runs to the next space or the end, so nothing after it can join what came before
  const withoutUrls = value.replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, " ");
  // A token ends at "=": in `KEY=value` the value is judged alone (a public token stays
  // public when a line assigns it), and base64 padding adds nothing random.
  return withoutUrls
    .split(/[^A-Za-z0-9+/_-]/)
    .filter((token) => !PUBLIC_TOKEN.test(token))
    .flatMap((token) => (/^\/|\/.*\//.test(token) ? token.split("/") : [token]))
    .filter((token) => token.length >= HIGH_ENTROPY_MIN_LENGTH && looksRandom(token));
}
