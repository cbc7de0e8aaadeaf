import { expect } from "chai";
import { DEFAULT_BACKOFF, isThrottling, retryThrottled } from "../../cli/health/throttling";
import type { Clock } from "../../cli/pipeline/ports";

/** A clock that records every wait and never waits; a runaway retry loop fails instead of spinning. */
function recordingClock() {
  const waits: number[] = [];
  const signals: (AbortSignal | undefined)[] = [];
  const clock: Clock = {
    now: () => 0,
    sleep: async (ms, signal) => {
      if (waits.length >= 20) throw new Error("retried without end");
      waits.push(ms);
      signals.push(signal);
    },
  };
  return { clock, waits, signals };
}

function awsError(name: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name}: Rate exceeded`), { name, ...extra });
}

/** A read that fails `failures` times with `error`, then answers "read". */
function failing(failures: number, error: () => unknown) {
  let calls = 0;
  const read = async () => {
    calls += 1;
    if (calls <= failures) throw error();
    return "read";
  };
  return { read, calls: () => calls };
}

describe("throttled AWS reads", () => {
  it("are recognised by every error name AWS services use for throttling", () => {
    for (const name of [
      "Throttling",
      "ThrottlingException",
      "ThrottledException",
      "TooManyRequestsException",
      "RequestLimitExceeded",
      "RequestThrottled",
      "RequestThrottledException",
    ]) {
      expect(isThrottling(awsError(name)), name).to.equal(true);
    }
  });

  it("are recognised by the SDK's own throttling mark and by HTTP 429, whatever the error's name", () => {
    expect(isThrottling(awsError("SlowDown", { $retryable: { throttling: true } }))).to.equal(true);
    expect(isThrottling(awsError("SlowDown", { $metadata: { httpStatusCode: 429 } }))).to.equal(true);
  });

  it("are told apart from other failures, retryable or not", () => {
    expect(isThrottling(awsError("AccessDenied", { $metadata: { httpStatusCode: 403 } }))).to.equal(false);
    expect(isThrottling(awsError("InternalFailure", { $retryable: { throttling: false }, $metadata: { httpStatusCode: 500 } }))).to.equal(false);
    expect(isThrottling(new Error("socket hang up"))).to.equal(false);
    // Only errors count: a rejection with a bare value or a look-alike object is not AWS throttling.
    expect(isThrottling("ThrottlingException")).to.equal(false);
    expect(isThrottling({ name: "ThrottlingException", $metadata: { httpStatusCode: 429 } })).to.equal(false);
  });

  it("are retried after 250 ms, 500 ms, 1 s and 2 s on the injected clock, and answer once AWS does", async () => {
    const { clock, waits } = recordingClock();
    const throttled = failing(4, () => awsError("ThrottlingException"));
    expect(await retryThrottled(throttled.read, clock)).to.equal("read");
    expect(waits).to.deep.equal([250, 500, 1_000, 2_000]);
    expect(throttled.calls()).to.equal(5);
  });

  it("give up after five attempts with AWS's own error", async () => {
    const { clock, waits } = recordingClock();
    const error = awsError("ThrottlingException");
    const throttled = failing(Number.POSITIVE_INFINITY, () => error);
    const failure = await retryThrottled(throttled.read, clock).catch((thrown: unknown) => thrown);
    expect(failure).to.equal(error);
    expect(throttled.calls()).to.equal(DEFAULT_BACKOFF.attempts);
    expect(waits).to.have.length(DEFAULT_BACKOFF.attempts - 1);
  });

  it("never wait longer than the backoff's ceiling between attempts", async () => {
    const { clock, waits } = recordingClock();
    const throttled = failing(Number.POSITIVE_INFINITY, () => awsError("Throttling"));
    await retryThrottled(throttled.read, clock, undefined, { attempts: 8, firstDelayMs: 250, maxDelayMs: 4_000 }).catch(() => undefined);
    expect(waits).to.deep.equal([250, 500, 1_000, 2_000, 4_000, 4_000, 4_000]);
  });

  it("wait on the bake's signal, so an interrupt ends the wait", async () => {
    const { clock, signals } = recordingClock();
    const stopping = new AbortController();
    await retryThrottled(failing(1, () => awsError("Throttling")).read, clock, stopping.signal);
    expect(signals).to.deep.equal([stopping.signal]);
  });

  it("are the only failures retried: any other goes to the grace period at once", async () => {
    const { clock, waits } = recordingClock();
    const error = awsError("AccessDenied");
    const denied = failing(1, () => error);
    expect(await retryThrottled(denied.read, clock).catch((thrown: unknown) => thrown)).to.equal(error);
    expect(denied.calls()).to.equal(1);
    expect(waits).to.deep.equal([]);
  });
});
