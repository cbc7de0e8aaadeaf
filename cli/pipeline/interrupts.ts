/**
 * Ctrl-C during a release or rollback. The first press stops starting new work and
 * lets running updates finish, because a half-applied update is worse than a finished
 * one; the second cancels the running updates. The command wires SIGINT to
 * `interrupt()`; the core only reads the two signals, so tests interrupt at will.
 */
export class Interrupts {
  private readonly stop = new AbortController();
  private readonly cancel = new AbortController();
  /** Aborted by the first interrupt: start nothing new. */
  readonly stopping: AbortSignal = this.stop.signal;
  /** Aborted by the second interrupt: cancel what is running. */
  readonly cancelling: AbortSignal = this.cancel.signal;

  interrupt(): void {
    if (!this.stopping.aborted) this.stop.abort();
    else this.cancel.abort();
  }
}

