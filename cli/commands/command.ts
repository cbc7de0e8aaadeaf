import type { ArgumentsCamelCase, Argv } from "yargs";

/** Options every command accepts (declared once, in main.ts). */
export interface GlobalOptions {
  envs: string;
  json: boolean;
  debug: boolean;
}

/**
 * A dcp command: yargs' description and builder, and a `run` that returns the exit
 * code instead of setting it, so that only the entry point decides how dcp exits.
 */
export interface DcpCommand<A extends GlobalOptions> {
  command: string | string[];
  /** The usage line of `--help` when the command has required options, e.g. `plan --to <stage>`. */
  usage?: string;
  describe: string;
  builder: (yargs: Argv<GlobalOptions>) => Argv<A>;
  run(args: ArgumentsCamelCase<A>): Promise<number>;
}

/**
 * Load a command's implementation when the command runs, not when dcp starts, so
 * that `dcp --help` does not pay for ajv, Pulumi or the AWS SDK. A plain require, so
 * the same path resolves to the compiled .js in dist/ and to the .ts source under tests.
 */
export function load<T>(modulePath: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports, security/detect-non-literal-require -- see above; the path names one of dcp's own modules, in its own tree
  return require(require.resolve(modulePath, { paths: [__dirname] })) as T;
}
