/**
 * The `verify` checks of a stage file: the URL placeholders, shared by the rule that
 * checks them at commit time and the adapter that runs them during the bake.
 */
import type { Diagnostics } from "./diagnostics";
import type { StageFile, VerifyCheck } from "./formats/stage-file";
import type { SourceFile } from "./source";

export const URL_PLACEHOLDERS = ["stage", "region"] as const;
export type UrlPlaceholders = Record<(typeof URL_PLACEHOLDERS)[number], string>;

/** `https://{region}.example.com/{stage}` with the stack's own values. */
export function expandUrl(template: string, values: UrlPlaceholders): string {
  return template.replace(/\{(stage|region)\}/g, (_, key: keyof UrlPlaceholders) => values[key]);
}

/** The stage file's checks, typed as the union the schema's if/then/else describes. */
export function verifyChecksOf(stage: StageFile): VerifyCheck[] {
  return (stage.verify ?? []) as VerifyCheck[];
}

/** Rules on `verify` that the schema cannot express: unique names, and URLs that are http(s) for every region. */
export function checkVerify(stageName: string, stage: StageFile, source: SourceFile, diagnostics: Diagnostics): void {
  const seen = new Set<string>();
  verifyChecksOf(stage).forEach((check, i) => {
    if (seen.has(check.name)) diagnostics.error(source, ["verify", i, "name"], `check name "${check.name}" is used twice in this stage`);
    seen.add(check.name);
    if (check.type !== "http") return;
    const unknown = (check.url.match(/\{[^}]*\}/g) ?? []).filter((placeholder) => !URL_PLACEHOLDERS.some((key) => placeholder === `{${key}}`));
    if (unknown.length > 0) {
      diagnostics.error(source, ["verify", i, "url"], `unknown placeholder ${unknown[0]} in the URL; expected ${URL_PLACEHOLDERS.map((p) => `{${p}}`).join(" or ")}`);
      return;
    }
    for (const region of stage.waves.flatMap((w) => w.regions)) {
      const url = expandUrl(check.url, { stage: stageName, region });
      if (!isHttpUrl(url)) {
        diagnostics.error(source, ["verify", i, "url"], `expected an http(s) URL, got "${url}" for region ${region}`);
        return;
      }
    }
  });
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    // The URL parser refuses an http(s) URL without a host, so a parsed one always has one.
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}
