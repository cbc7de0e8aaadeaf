/**
 * One run of a `command` check: a child process in its own process group, told about
 * the stack through DCP_* variables and kept from dcp's credentials, time-limited; its exit code decides. On timeout
 * or interrupt the whole group is terminated (then killed), and whatever the command
 * left running in its group is killed when it exits: a check leaves no orphan behind.
 */
import { spawn } from "node:child_process";
import type { CommandCheck } from "../config/formats/stage-file";
import { checkEnvironment } from "./check-environment";
import { seconds, type CheckOutcome } from "./check-run";

export const DEFAULT_COMMAND_INTERVAL_SECONDS = 300;
/** Between SIGTERM and SIGKILL: long enough for a test runner to tear down its fixtures. */
export const DEFAULT_KILL_GRACE_MS = 5_000;
/** How long stdout/stderr may stay open after the command exited (a descendant that left the group may hold them). */
const STREAM_DRAIN_MS = 500;
const TAIL_BYTES = 8_192;

export interface CommandRunOptions {
  cwd: string;
  /** DCP_STAGE, DCP_REGION …, added to the allowlisted part of this process's environment. */
  env: Record<string, string>;
  signal: AbortSignal;
  killGraceMs?: number;
}

export function runCommandCheck(check: CommandCheck, options: CommandRunOptions): Promise<CheckOutcome> {
  const [file, ...args] = typeof check.run === "string" ? ["/bin/sh", "-c", check.run] : check.run;
  const timeoutMs = check.timeoutSeconds * 1000;
  return new Promise((resolve) => {
    if (options.signal.aborted) return resolve({ outcome: "aborted" });
    const started = performance.now();
    const elapsedMs = () => Math.round(performance.now() - started);
    const child = spawn(file as string, args, {
      cwd: options.cwd,
      env: checkEnvironment(process.env, check.passEnv ?? [], options.env),
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stdout = new Tail();
    const stderr = new Tail();
    child.stdout.on("data", (chunk: Buffer) => stdout.add(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.add(chunk));

    let stoppedBy: "timeout" | "abort" | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        // Stryker disable next-line ConditionalExpression: with no pid, process.kill(NaN) throws and the catch below takes it as well
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // ESRCH: the group is gone already.
      }
    };
    const stop = (reason: "timeout" | "abort") => {
      if (stoppedBy) return;
      stoppedBy = reason;
      // Stryker disable next-line StringLiteral: process.kill takes "" for its default signal, SIGTERM
      killGroup("SIGTERM");
      killTimer = setTimeout(() => killGroup("SIGKILL"), options.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
    };
    const timeoutTimer = setTimeout(() => stop("timeout"), timeoutMs);
    const onAbort = () => stop("abort");
    options.signal.addEventListener("abort", onAbort);
    const cleanUp = () => {
      clearTimeout(timeoutTimer);
      clearTimeout(killTimer);
      options.signal.removeEventListener("abort", onAbort);
    };

    child.on("error", (error) => {
      cleanUp();
      resolve({ outcome: "failed", detail: `could not start ${file}: ${error.message}`, durationMs: elapsedMs() });
    });
    child.on("exit", (code, signal) => {
      const durationMs = elapsedMs();
      cleanUp();
      killGroup("SIGKILL");
      const finish = () => {
        child.stdout.destroy();
        child.stderr.destroy();
        const last = stderr.lastLine() || stdout.lastLine();
        const output = last ? `: ${last}` : "";
        if (stoppedBy === "abort") return resolve({ outcome: "aborted" });
        if (stoppedBy === "timeout") return resolve({ outcome: "failed", detail: `timed out after ${seconds(timeoutMs)} and was killed${output}`, durationMs });
        if (code === 0) return resolve({ outcome: "passed", detail: `exit 0 after ${seconds(durationMs)}`, durationMs });
        const how = code !== null ? `exit ${code}` : `killed by ${signal ?? "a signal"}`;
        resolve({ outcome: "failed", detail: `${how} after ${seconds(durationMs)}${output}`, durationMs });
      };
      const drained = setTimeout(finish, STREAM_DRAIN_MS);
      child.once("close", () => {
        clearTimeout(drained);
        finish();
      });
    });
  });
}

/** The last few kilobytes of a stream: enough for the last line, bounded however much a suite prints. */
class Tail {
  private text = "";

  add(chunk: Buffer): void {
    this.text = (this.text + chunk.toString("utf8")).slice(-TAIL_BYTES);
  }

  lastLine(): string {
    const lines = this.text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
    return lines.at(-1) ?? "";
  }
}
