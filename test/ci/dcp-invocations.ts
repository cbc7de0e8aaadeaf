/**
 * What the CI-definition tests need: the `dcp …` command lines a shell script runs, and
 * dcp's own parser applied to them without running anything.
 */
import { parser } from "../../cli/main";

/** A GitHub expression (`${{ vars.X }}`) stands for one word whatever it contains. */
const EXPRESSION = /\$\{\{[^}]*\}\}/g;
const OPERATOR = /^(\|\|?|&&?|;|[<>]{1,2}|\(|\))$/;

/**
 * The argument lists of every `dcp` (or `npx [npx-options] dcp`) command in `script`,
 * after joining continued lines; each list ends where the shell command ends (a pipe,
 * `&&`, `;`, a redirection).
 */
export function dcpInvocations(script: string): string[][] {
  const found: string[][] = [];
  const lines = script.replace(/\\\r?\n/g, " ").split(/\r?\n/);
  for (const line of lines) {
    const words = shellWords(line.replace(EXPRESSION, "EXPR"));
    let atCommandStart = true;
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!;
      if (word.operator) {
        if (/^[<>]+$/.test(word.text)) i++; // a redirection's file is not a command
        else if (!/[<>]/.test(word.text)) atCommandStart = true; // after |, &&, ;, ( …
        continue;
      }
      if (!atCommandStart) continue;
      atCommandStart = false;
      let j = i;
      if (word.text === "npx") {
        j++;
        while (j < words.length && !words[j]!.operator && words[j]!.text.startsWith("-")) j++;
      }
      if (words[j]?.operator || words[j]?.text !== "dcp") continue;
      const args: string[] = [];
      for (j++; j < words.length && !words[j]!.operator; j++) args.push(words[j]!.text);
      found.push(args);
      i = j - 1;
    }
  }
  return found;
}

interface Word {
  text: string;
  operator: boolean;
}

/** Split one line the way a POSIX shell would (quotes, backslashes, operators); `#` starts a comment. */
function shellWords(line: string): Word[] {
  const words: Word[] = [];
  let current: string | undefined;
  const flush = () => {
    if (current !== undefined) words.push({ text: current, operator: false });
    current = undefined;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      current = (current ?? "") + line.slice(i + 1, end < 0 ? undefined : end);
      i = end < 0 ? line.length : end;
    } else if (c === '"') {
      let text = "";
      for (i++; i < line.length && line[i] !== '"'; i++) text += line[i] === "\\" ? line[++i] ?? "" : line[i];
      current = (current ?? "") + text;
    } else if (c === "\\") {
      current = (current ?? "") + (line[++i] ?? "");
    } else if (/\s/.test(c)) {
      flush();
    } else if (c === "#" && current === undefined) {
      break;
    } else if (/[|&;<>()]/.test(c)) {
      // `2>&1`, `>file`: a file-descriptor number belongs to the redirection.
      if (/[<>]/.test(c) && current !== undefined && /^\d+$/.test(current)) current = undefined;
      flush();
      let op = c;
      while (i + 1 < line.length && OPERATOR.test(op + line[i + 1]!)) op += line[++i];
      if (op.endsWith(">") && line[i + 1] === "&") {
        op += line.slice(i + 1, i + 3); // `>&1`: the target is part of the redirection
        i += 2;
      }
      words.push({ text: op, operator: true });
    } else {
      current = (current ?? "") + c;
    }
  }
  flush();
  return words;
}

export type ParseResult = { ok: true; command: string[]; args: Record<string, unknown> } | { ok: false; error: string };

class Parsed extends Error {
  constructor(readonly args: Record<string, unknown>) {
    super("parsed");
  }
}

/**
 * Parse `argv` with dcp's own parser (strict commands and options, required options,
 * subcommands), and stop before the command's handler: a middleware that runs after
 * yargs' validation throws. Value checks that commands declare with `.check()` run as
 * later middleware and are not reached; names, arity and required options are judged.
 */
export function parseWithoutRunning(argv: string[], onExit: (code: number) => void = () => undefined): ParseResult {
  try {
    parser(argv, onExit)
      // A pipeline has no use for help or version output; without them those are unknown options.
      .help(false)
      .version(false)
      .exitProcess(false)
      .middleware((args) => {
        throw new Parsed(args);
      }, false)
      .parse();
  } catch (error) {
    if (error instanceof Parsed) return { ok: true, command: (error.args._ as unknown[]).map(String), args: error.args };
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  return { ok: false, error: "the command line parsed but reached no command" };
}
