/**
 * A `pulumi` executable that answers what the Automation API asks before any engine
 * runs: `pulumi version`, and `pulumi stack select` / `stack init` against a list of
 * stacks kept as files, failing for an unknown stack with the CLI's own message. It
 * records each call (working directory, PULUMI_BACKEND_URL, arguments), one per line.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface FakePulumiCli {
  /** The installation root, as `PulumiCommand.get({ root })` takes it (the binary is `bin/pulumi`). */
  root: string;
  /** Each call so far as "<cwd> <PULUMI_BACKEND_URL> <args…>". */
  calls(): string[];
  /** Makes `stack` exist in the backend. */
  addStack(stack: string): void;
}

export function fakePulumiCli(root: string, version = "v3.248.0"): FakePulumiCli {
  const bin = join(root, "bin");
  const stacks = join(root, "stacks");
  const log = join(root, "calls.log");
  mkdirSync(bin, { recursive: true });
  mkdirSync(stacks, { recursive: true });
  const pulumi = join(bin, "pulumi");
  writeFileSync(
    pulumi,
    `#!/bin/sh
echo "$PWD \${PULUMI_BACKEND_URL-} $*" >> '${log}'
case "$1 $2" in
  "version "*) echo ${version} ;;
  "stack select")
    if [ -e '${stacks}'/"$4" ]; then exit 0; fi
    echo "error: no stack named '$4' found" >&2; exit 255 ;;
  "stack init") : > '${stacks}'/"$3" ;;
  *) echo "error: the fake pulumi does not run $*" >&2; exit 1 ;;
esac
`,
  );
  chmodSync(pulumi, 0o755);
  return {
    root,
    calls: () => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : []),
    addStack: (stack) => writeFileSync(join(stacks, stack), ""),
  };
}
