/**
 * Runs tasks one at a time, in the order they were queued. Stack selection writes the
 * workspace's current-stack file, and two `pulumi stack select` in parallel on one
 * workDir corrupt it (pulumi/pulumi#8186); everything after selection passes `--stack`
 * explicitly and may run in parallel.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    // A failed task must not block the ones queued after it.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
