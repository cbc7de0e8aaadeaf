import type { Argv } from "yargs";
import { ExitCode } from "../errors";
import { countBySeverity, formatDiagnostic, plural } from "../ui/diagnostics";
import { green, red } from "../ui/style";
import { load, type DcpCommand, type GlobalOptions } from "./command";

interface ValidateArgs extends GlobalOptions {
  stage?: string;
}

export const validateCommand: DcpCommand<ValidateArgs> = {
  command: "validate",
  describe: "Check envs/ offline: file formats, schemas, flags, secrets and the policy pack. No credentials needed.",
  builder: (yargs: Argv<GlobalOptions>) =>
    yargs
      .option("stage", { type: "string", describe: "Only this stage's file and stacks" })
      .example("$0 validate", "Check every stage; exit 1 on any configuration error")
      .example("$0 validate --stage prod --json", "Check prod only, as one JSON object for CI"),
  async run(args) {
    const { cachedValidation } = load<typeof import("../offline/validate-cache")>("../offline/validate-cache");
    const options = { envsDir: args.envs, ...(args.stage !== undefined && { stage: args.stage }) };
    // The SDK, the program and the pack load only when the report is not already known.
    const report = await cachedValidation(options, (withDay) => load<typeof import("../offline/validate")>("../offline/validate").validate(withDay));
    const { errors, warnings } = countBySeverity(report.diagnostics);
    const mandatory = report.violations.filter((v) => v.level === "mandatory");
    const exitCode = errors > 0 ? ExitCode.usage : mandatory.length > 0 ? ExitCode.policyViolation : ExitCode.ok;
    if (args.json) {
      process.stdout.write(
        `${JSON.stringify({ ok: exitCode === ExitCode.ok, exitCode, errors, warnings, stacks: report.stacks, diagnostics: report.diagnostics, violations: report.violations, findings: report.findings })}\n`,
      );
      return exitCode;
    }
    for (const d of report.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    for (const { violation: v, stacks, source } of report.findings) {
      const where = source ? `${source.file}:${source.line}:${source.col}: ` : "";
      const { resourceOf } = load<typeof import("../offline/violation-sources")>("../offline/violation-sources");
      const subject = resourceOf(v.resource)?.name ?? "stack";
      const line = `${where}${v.policy} (${v.level}) on ${stacks.join(", ")}: ${subject}: ${v.message}`;
      process.stderr.write(`${v.level === "mandatory" ? red(line, process.stderr) : line}\n`);
    }
    const findings = [plural(errors, "error"), plural(warnings, "warning")];
    if (report.violations.length > 0) findings.push(plural(mandatory.length, "mandatory policy violation"), plural(report.violations.length - mandatory.length, "advisory policy violation"));
    const summary =
      exitCode === ExitCode.ok
        ? green(`✔ ${args.envs}: valid, ${plural(report.stacks, "stack")} checked (${findings.join(", ")})`)
        : red(`✖ ${args.envs}: ${findings.join(", ")}`, process.stderr);
    (exitCode === ExitCode.ok ? process.stdout : process.stderr).write(`${summary}\n`);
    return exitCode;
  },
};
