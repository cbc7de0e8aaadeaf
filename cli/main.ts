// Before anything can load @pulumi/pulumi: it requires heavy modules it rarely uses.
import "./lazy-sdk-modules";
import yargs, { type Argv } from "yargs";
import { ConfigError, DcpError, ExitCode, UsageError } from "./errors";
import type { DcpCommand, GlobalOptions } from "./commands/command";
import { diffCommand } from "./commands/diff";
import { driftCommand } from "./commands/drift";
import { flagsCommand } from "./commands/flags";
import { historyCommand } from "./commands/history";
import { hooksInstallCommand } from "./commands/hooks";
import { iamCommand } from "./commands/iam";
import { planCommand } from "./commands/plan";
import { previewCommand } from "./commands/preview";
import { releaseCommand } from "./commands/release";
import { rollbackCommand } from "./commands/rollback";
import { statusCommand } from "./commands/status";
import { validateCommand } from "./commands/validate";
import { redact, redactAll } from "./redact";
import { formatDiagnostic } from "./ui/diagnostics";
import { red } from "./ui/style";
import { dcpVersion } from "./version";


type AnyCommand = DcpCommand<GlobalOptions & Record<string, unknown>>;
const commands = [
  validateCommand,
  planCommand,
  diffCommand,
  previewCommand,
  releaseCommand,
  rollbackCommand,
  statusCommand,
  historyCommand,
  driftCommand,
  iamCommand,
  flagsCommand,
] as unknown as AnyCommand[];

/** The command-line parser; exported so tests (and the CI-template check) can parse without running. */
export function parser(argv: string[], onExit: (code: number) => void = () => undefined): Argv<GlobalOptions> {
  const register = (y: Argv<GlobalOptions>, command: AnyCommand, name = command.command) =>
    y.command({
      command: name,
      describe: command.describe,
      builder: (inner: Argv<GlobalOptions>) => command.builder(command.usage ? inner.usage(`$0 ${command.usage}`) : inner),
      handler: async (args) => onExit(await command.run(args)),
    });
  let cli = yargs(argv)
    .scriptName("dcp")
    .usage("$0 <command> [options]\n\nFeature flags and operational configuration as code, released progressively: beta → gamma → prod, wave by wave.")
    .option("envs", { type: "string", default: "envs", describe: "Directory holding pipeline.yaml and the stage files", global: true })
    .option("json", { type: "boolean", default: false, describe: "Machine-readable output", global: true })
    .option("debug", { type: "boolean", default: false, describe: "Show stack traces of unexpected errors", global: true });
  for (const command of commands) cli = register(cli, command);
  const knownCommands = [...commands.map((c) => String(c.command).split(" ")[0]!), "hooks"];
  cli = cli.command("hooks", "Manage git hooks", (y) =>
    register(y as Argv<GlobalOptions>, hooksInstallCommand as unknown as AnyCommand, "install").demandCommand(1, "name a hooks subcommand: install"),
  );
  return cli
    .example("$0 validate", "Check envs/ offline before committing")
    .example("$0 plan --to prod", "Show the stages, waves and stacks a release to prod walks")
    .example("$0 release --to gamma", "Release beta, then gamma, wave by wave, baking after each wave")
    .example("$0 rollback prod", "Every prod stack back to its previous release, all at once")
    .demandCommand(1, "name a command; `dcp --help` lists them")
    .strict()
    .recommendCommands()
    .showHelpOnFail(false)
    .version(dcpVersion())
    .help()
    .alias("help", "h")
    .wrap(Math.min(110, process.stdout.columns ?? 80))
    .fail((message, error) => {
      // A failed .check() arrives with its message as the "error" (a string) or as yargs'
      // own YError: a usage mistake, not a crash. Anything else is one.
      if (error instanceof Error && error.name !== "YError") throw error;
      const first = argv.find((a) => !a.startsWith("-"));
      if (first !== undefined && !knownCommands.includes(first)) {
        const suggestion = /^Did you mean (.+)\?$/.exec(message)?.[1];
        throw new UsageError(`unknown command "${first}"${suggestion ? `; did you mean \`dcp ${suggestion}\`?` : ""} (the commands are: ${knownCommands.join(", ")})`);
      }
      throw new UsageError(inDcpWords(message, first));
    });
}

/** yargs' wording of a usage mistake, said the way the rest of dcp speaks. */
function inDcpWords(message: string, commandName: string | undefined): string {
  const command = commands.find((c) => String(c.command).split(" ")[0] === commandName);
  const usage = command ? `dcp ${command.usage ?? String(command.command)}` : undefined;
  const help = commandName && command ? `dcp ${commandName} --help` : "dcp --help";
  const missingOptions = /^Missing required arguments?: (.+)$/.exec(message)?.[1];
  if (missingOptions !== undefined) {
    const options = missingOptions.split(", ").map((name) => `--${name}`);
    return `${options.join(" and ")} ${options.length === 1 ? "is" : "are"} required: ${usage ?? help} (see ${help})`;
  }
  if (/^Not enough non-option arguments/.test(message)) {
    const positional = /<([^>]+)>/.exec(String(command?.command ?? ""))?.[1];
    return `name the ${positional ?? "argument"}: ${usage ?? help} (see ${help})`;
  }
  return /--help/.test(message) ? message : `${message} (see ${help})`;
}

export async function main(argv: string[]): Promise<void> {
  // Stack traces point into the TypeScript sources only when someone asked for them:
  // parsing the source maps of every module loaded costs start-up time.
  if (argv.includes("--debug")) process.setSourceMapsEnabled(true);
  let exitCode: number = ExitCode.ok;
  try {
    await parser(argv, (code) => (exitCode = code)).parseAsync();
  } catch (error) {
    exitCode = reportError(error, { json: argv.includes("--json"), debug: argv.includes("--debug") });
  }
  process.exitCode = exitCode;
}

/** The one place an error becomes words on stderr and an exit code. */
function reportError(error: unknown, options: { json: boolean; debug: boolean }): number {
  if (error instanceof DcpError) {
    const diagnostics = redactAll(error instanceof ConfigError ? error.diagnostics : []);
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ ok: false, exitCode: error.exitCode, error: redact(error.message), diagnostics })}\n`);
    } else {
      for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
      process.stderr.write(`${red("dcp:", process.stderr)} ${redact(error.message)}\n`);
      if (options.debug) process.stderr.write(`${redact(error.stack ?? "")}\n`);
    }
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${red("dcp: unexpected error:", process.stderr)} ${redact(message)}\n`);
  process.stderr.write(options.debug && error instanceof Error ? `${redact(error.stack ?? "")}\n` : "run again with --debug for the stack trace, and report it\n");
  return ExitCode.usage;
}
