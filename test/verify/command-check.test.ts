import { expect } from "chai";
import { getEventListeners } from "node:events";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import type { CommandCheck } from "../../cli/config/formats/stage-file";
import { runCommandCheck } from "../../cli/verify/command-check";
import { eventually, isRunning } from "./processes";

const STACK_ENV = { DCP_STAGE: "gamma", DCP_REGION: "eu-west-1", DCP_STACK: "gamma-eu-west-1", DCP_RELEASE_ID: "0123456789ab", DCP_OUTPUTS: '{"releaseId":"0123456789ab"}' };

describe("a command verification check", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), "dcp-verify-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const check = (run: CommandCheck["run"], timeoutSeconds = 5): CommandCheck => ({ type: "command", name: "acceptance", run, timeoutSeconds });
  const run = (command: CommandCheck, signal = new AbortController().signal) =>
    runCommandCheck(command, { cwd: dir, env: STACK_ENV, signal, killGraceMs: 200 });
  const pidIn = async (file: string): Promise<number> => {
    expect(await eventually(() => readFileSync(path.join(dir, file), { encoding: "utf8", flag: "a+" }).trim() !== "")).to.be.true;
    return Number(readFileSync(path.join(dir, file), "utf8"));
  };

  it("passes when the command exits 0, and runs in the given directory with the stack described in DCP_* variables", async () => {
    const script = 'test "$DCP_STACK" = gamma-eu-west-1 && test "$DCP_RELEASE_ID" = 0123456789ab && pwd > where && echo "$DCP_OUTPUTS" > outputs';
    const result = await run(check(script));
    expect(result).to.include({ outcome: "passed" });
    expect(result).to.have.property("detail").that.matches(/^exit 0 after \d+\.\d s$/);
    expect(readFileSync(path.join(dir, "where"), "utf8").trim()).to.equal(dir);
    expect(JSON.parse(readFileSync(path.join(dir, "outputs"), "utf8"))).to.deep.equal({ releaseId: "0123456789ab" });
  });

  describe("environment", () => {
    const planted = {
      AWS_ACCESS_KEY_ID: "AKIA" + "IOSFODNN7EXAMPLE",
      AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      AWS_SESSION_TOKEN: "session-token-value",
      PULUMI_CONFIG_PASSPHRASE: "correct horse battery staple",
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: "oidc-request-token",
      ACTIONS_ID_TOKEN_REQUEST_URL: "https://token.actions.example.com/",
      SMOKE_TEST_USER: "smoke",
      UNRELATED: "not named",
      DCP_EXTRA: "dcp's own",
    };
    let saved: NodeJS.ProcessEnv;
    beforeEach(() => {
      saved = { ...process.env };
      Object.assign(process.env, planted);
    });
    afterEach(() => {
      for (const name of Object.keys(planted)) delete process.env[name];
      Object.assign(process.env, saved);
    });

    it("gets PATH, HOME, DCP_* and what its check names in passEnv; never AWS credentials, the Pulumi passphrase or the OIDC request variables", async () => {
      const dump = { ...check([process.execPath, "-e", "require('fs').writeFileSync('env.json', JSON.stringify(process.env))"]), passEnv: ["SMOKE_TEST_USER", "AWS_SECRET_ACCESS_KEY"] };
      expect(await run(dump)).to.include({ outcome: "passed" });
      const seen = JSON.parse(readFileSync(path.join(dir, "env.json"), "utf8")) as Record<string, string>;
      expect(Object.keys(seen).filter((name) => !["PATH", "HOME"].includes(name)).sort()).to.deep.equal(
        ["DCP_EXTRA", ...Object.keys(STACK_ENV), "SMOKE_TEST_USER"].sort(),
      );
      expect(seen.PATH).to.equal(process.env.PATH);
    });
  });

  /** What keeps a Node process alive: a timer or an open pipe left behind would hold dcp at its exit. */
  const handles = () => {
    const active = process.getActiveResourcesInfo();
    return { timers: active.filter((r) => r === "Timeout").length, pipes: active.filter((r) => r === "PipeWrap").length };
  };
  /** The handles before a run, once mocha has armed this spec's own timer. */
  const handlesBefore = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    return handles();
  };
  /** Whether the handles are back to `before` within a second: a pipe takes a few turns of the event loop to close. */
  const settlesTo = (before: ReturnType<typeof handles>) => eventually(() => isDeepStrictEqual(handles(), before), 1_000);

  it("gives the command no input, so one that reads stdin does not wait for it", async () => {
    expect(await run(check("cat; exit 0"))).to.include({ outcome: "passed" });
  });

  it("reports as its duration no more than the time the run took", async () => {
    const before = performance.now();
    const result = await run(check("exit 0"));
    const took = performance.now() - before;
    expect(result).to.have.property("durationMs").that.is.within(0, Math.ceil(took));
  });

  it("leaves no timer, no open pipe and no listener on the bake's signal once a command has ended, passed, failed to start or timed out", async () => {
    const bake = new AbortController();
    const before = await handlesBefore();
    expect(await run(check("exit 0"), bake.signal)).to.include({ outcome: "passed" });
    expect(await settlesTo(before)).to.equal(true, "after a command that passed");
    expect(await run(check(["./no-such-suite"]), bake.signal)).to.include({ outcome: "failed" });
    expect(await settlesTo(before)).to.equal(true, "after a command that could not start");
    // A grace longer than the wait below: a kill timer left armed would show.
    expect(await runCommandCheck(check("sleep 30", 0.1), { cwd: dir, env: STACK_ENV, signal: bake.signal, killGraceMs: 5_000 })).to.include({ outcome: "failed" });
    expect(await settlesTo(before)).to.equal(true, "after a command that timed out");
    expect(getEventListeners(bake.signal, "abort")).to.deep.equal([]);
  });

  it("keeps a timed-out command's finding when the bake is interrupted while the command is being killed", async () => {
    const stopping = new AbortController();
    const script = "trap 'echo TERM >> signals' TERM; while :; do sleep 0.05; done";
    // A time limit of 1 s leaves a busy machine time to start the shell and set its trap.
    const running = run(check(script, 1), stopping.signal);
    expect(await eventually(() => readFileSync(path.join(dir, "signals"), { encoding: "utf8", flag: "a+" }).includes("TERM"), 5_000)).to.be.true;
    stopping.abort();
    expect(await running).to.include({ outcome: "failed" }).and.have.property("detail").that.matches(/^timed out after 1\.0 s and was killed/);
  });

  it("runs an argv array without a shell", async () => {
    expect(await run(check([process.execPath, "-e", "process.exit(process.env.DCP_REGION === 'eu-west-1' ? 0 : 3)"]))).to.include({ outcome: "passed" });
  });

  it("fails on a non-zero exit, quoting the last line of stderr", async () => {
    const result = await run(check("echo 'running 12 tests'; echo 'ok 1' >&2; echo 'FAIL checkout accepts a saved card' >&2; exit 1"));
    expect(result).to.include({ outcome: "failed" });
    expect(result).to.have.property("detail").that.matches(/^exit 1 after \d+\.\d s: FAIL checkout accepts a saved card$/);
  });

  it("quotes stdout when the command wrote nothing to stderr", async () => {
    const result = await run(check("echo '3 of 40 acceptance tests failed'; exit 2"));
    expect(result).to.have.property("detail").that.matches(/^exit 2 after .*: 3 of 40 acceptance tests failed$/);
  });

  it("quotes the last line that says something, however the output ends its lines", async () => {
    const result = await run(check("printf 'FAIL checkout accepts a saved card\\r\\n\\r\\n   \\n' >&2; exit 1"));
    expect(result).to.have.property("detail").that.matches(/^exit 1 after \d+\.\d s: FAIL checkout accepts a saved card$/);
  });

  it("quotes nothing when the command printed nothing", async () => {
    const result = await run(check("exit 3"));
    expect(result).to.have.property("detail").that.matches(/^exit 3 after \d+\.\d s$/);
  });

  it("keeps only the last 8 KiB of what a command prints", async () => {
    const result = await run(check([process.execPath, "-e", "process.stderr.write('x'.repeat(20000)); process.exit(1)"]));
    expect(result).to.have.property("detail").that.matches(/^exit 1 after \d+\.\d s: x{8192}$/);
  });

  it("says which signal ended a command that was killed", async () => {
    const result = await run(check("kill -KILL $$"));
    expect(result).to.include({ outcome: "failed" });
    expect(result).to.have.property("detail").that.matches(/^killed by SIGKILL after \d+\.\d s$/);
  });

  it("starts nothing when the bake has already stopped", async () => {
    const stopped = new AbortController();
    stopped.abort();
    expect(await run(check("touch started"), stopped.signal)).to.deep.equal({ outcome: "aborted" });
    expect(existsSync(path.join(dir, "started"))).to.equal(false);
  });

  it("ends when the command exits even if a process that left its group still holds its output", async () => {
    // The escaped process writes its pid only once it has its own session: the command exits after that.
    const before = await handlesBefore();
    const result = await run(check("setsid sh -c 'echo $$ > escaped; exec sleep 30' & while [ ! -s escaped ]; do sleep 0.01; done; exit 0"));
    try {
      expect(result).to.deep.include({ outcome: "passed" });
      // Its pipes are closed on dcp's side all the same: they would keep dcp running as long as the escaped process.
      expect(await settlesTo(before)).to.equal(true);
    } finally {
      process.kill(await pidIn("escaped"), "SIGKILL");
    }
  });

  it("fails a command that cannot be started", async () => {
    const result = await run(check(["./no-such-suite"]));
    expect(result).to.include({ outcome: "failed" });
    expect(result).to.have.property("detail").that.includes("could not start ./no-such-suite");
  });

  it("kills a command that outlasts its time limit, with everything it started, and fails", async () => {
    const result = await run(check("sleep 30 & echo $! > grandchild; echo 'waiting for checkout'; wait", 0.2));
    expect(result).to.include({ outcome: "failed" });
    expect(result).to.have.property("detail").that.equals("timed out after 0.2 s and was killed: waiting for checkout");
    expect(await eventually(() => !isRunning(Number(readFileSync(path.join(dir, "grandchild"), "utf8"))))).to.be.true;
  });

  it("kills a command that ignores SIGTERM once the grace period is over", async () => {
    // The shell notes each SIGTERM and carries on; only SIGKILL can end it. No timing is
    // asserted: on a busy machine the shell may start after the time limit has passed.
    const script = "trap 'echo TERM >> signals' TERM; echo $$ > pid; while :; do sleep 0.05; done";
    const result = await run(check(script, 0.3));
    expect(result).to.have.property("detail").that.includes("timed out after 0.3 s");
    expect(readFileSync(path.join(dir, "signals"), { encoding: "utf8", flag: "a+" })).to.include("TERM");
    expect(await eventually(() => !isRunning(Number(readFileSync(path.join(dir, "pid"), "utf8"))))).to.be.true;
  });

  it("on interrupt, kills the command and its grandchildren and reports no finding", async () => {
    const stopping = new AbortController();
    const running = run(check("sleep 30 & echo $! > grandchild; wait", 30), stopping.signal);
    const grandchild = await pidIn("grandchild");
    expect(isRunning(grandchild)).to.be.true;
    stopping.abort();
    expect(await running).to.deep.equal({ outcome: "aborted" });
    expect(await eventually(() => !isRunning(grandchild))).to.be.true;
  });

  it("leaves nothing behind from a command that exits while its background job still runs", async () => {
    const result = await run(check("sleep 30 & echo $! > grandchild; exit 0"));
    expect(result).to.include({ outcome: "passed" });
    expect(await eventually(() => !isRunning(Number(readFileSync(path.join(dir, "grandchild"), "utf8"))))).to.be.true;
  });

  it("leaves nothing behind even when the background job ignores SIGTERM", async () => {
    // An ignored signal stays ignored across exec: sleep ignores SIGTERM as its shell does.
    const result = await run(check("trap '' TERM; sleep 30 & echo $! > grandchild; exit 0"));
    expect(result).to.include({ outcome: "passed" });
    expect(await eventually(() => !isRunning(Number(readFileSync(path.join(dir, "grandchild"), "utf8"))))).to.be.true;
  });
});
