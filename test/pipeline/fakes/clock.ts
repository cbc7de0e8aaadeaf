import type { Clock } from "../../../cli/pipeline/ports";

interface Timer {
  at: number;
  resolve: () => void;
}

/**
 * A clock whose time jumps to the next timer once the event loop has nothing else to
 * do, so an hour's bake passes in a millisecond while timers still fire in order.
 */
export class FakeClock implements Clock {
  private time = Date.parse("2026-03-02T09:00:00Z");
  private timers: Timer[] = [];
  private scheduled = false;

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortError());
      const onAbort = () => {
        this.timers = this.timers.filter((t) => t !== timer);
        reject(abortError());
      };
      const timer: Timer = {
        at: this.time + ms,
        resolve: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.timers.push(timer);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.fireNext());
  }

  private fireNext(): void {
    this.scheduled = false;
    this.timers.sort((a, b) => a.at - b.at);
    const next = this.timers.shift();
    if (next === undefined) return;
    this.time = Math.max(this.time, next.at);
    next.resolve();
    if (this.timers.length > 0) this.schedule();
  }
}

function abortError(): Error {
  const error = new Error("the operation was aborted");
  error.name = "AbortError";
  return error;
}
