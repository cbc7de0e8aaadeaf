import { appendFile } from "node:fs/promises";

/**
 * Append Markdown to `file`: $GITHUB_STEP_SUMMARY collects what every command of a step
 * writes, and a pull-request comment may gather several diffs. A file that cannot be
 * written is reported, never the reason a command that did its work fails.
 */
export async function writeMarkdown(file: string, markdown: string): Promise<void> {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the file the operator named with --markdown
  await appendFile(file, `${markdown}\n`).catch((error: unknown) => {
    process.stderr.write(`dcp: could not write the Markdown summary to ${file}: ${(error as Error).message}\n`);
  });
}
