/**
 * Stage leases on a file:// state backend: one JSON file per stage in a directory next
 * to the stack state. Taking a lease is an exclusive create: the lease is written to a
 * file of its own, then hard-linked to the stage's name, which fails when that name
 * exists (as an O_EXCL create does) and never shows another process a half-written
 * lease. A holder renews by touching the file: the holder never rewrites it, so a
 * takeover written meanwhile is never overwritten by a renewal.
 */
/* eslint-disable security/detect-non-literal-fs-filename -- every path is a lease file in the directory leaseStoreFor derives from pipeline.yaml's state backend */
import { randomUUID } from "node:crypto";
import { mkdir, link, readFile, rename, stat, unlink, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { LeaseStore, StageLease } from "../pipeline/ports";

export class FileLeaseStore implements LeaseStore {
  constructor(readonly location: string) {}

  async acquire(lease: StageLease): Promise<StageLease | undefined> {
    const draft = await this.draft(lease);
    try {
      // A lease removed between a failed link and the read of it: link again.
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          await link(draft, this.pathOf(lease.stage));
          return undefined;
        } catch (error) {
          if (codeOf(error) !== "EEXIST") throw error;
        }
        const current = await this.read(lease.stage);
        if (current !== undefined) return current;
      }
      throw new Error(`the lease of ${lease.stage} in ${this.location} kept appearing and disappearing`);
    } finally {
      await unlink(draft);
    }
  }

  async renew(lease: StageLease, at: Date): Promise<StageLease | undefined> {
    try {
      await utimes(this.pathOf(lease.stage), at, at);
    } catch (error) {
      if (codeOf(error) !== "ENOENT") throw error;
    }
    return this.read(lease.stage);
  }

  /**
   * Between reading `previous` back and renaming `next` over it another replacer could
   * slip in: replacing is a person's deliberate act (a rollback, --break-lease), never
   * a holder's renewal, so two at once is the rare case the S3 store's conditional write closes.
   */
  async replace(previous: StageLease, next: StageLease): Promise<boolean> {
    if ((await this.read(previous.stage))?.id !== previous.id) return false;
    const draft = await this.draft(next);
    await rename(draft, this.pathOf(next.stage));
    return true;
  }

  /** Moved aside first, so that a lease that replaced this one meanwhile is put back rather than removed. */
  async release(lease: StageLease): Promise<void> {
    const aside = join(this.location, `.${lease.stage}.${randomUUID()}.released`);
    try {
      await rename(this.pathOf(lease.stage), aside);
    } catch (error) {
      if (codeOf(error) === "ENOENT") return;
      throw error;
    }
    // Stryker disable next-line StringLiteral: without an encoding readFile gives a Buffer, which JSON.parse reads as UTF-8 text all the same
    const moved = parse(await readFile(aside, "utf8"), aside);
    if (moved.id !== lease.id) await link(aside, this.pathOf(lease.stage)).catch(() => undefined);
    await unlink(aside);
  }

  private pathOf(stage: string): string {
    return join(this.location, `${stage}.json`);
  }

  private async read(stage: string): Promise<StageLease | undefined> {
    const path = this.pathOf(stage);
    try {
      // Stryker disable next-line StringLiteral: without an encoding readFile gives a Buffer, which JSON.parse reads as UTF-8 text all the same
      const [text, stats] = await Promise.all([readFile(path, "utf8"), stat(path)]);
      return { ...parse(text, path), renewedAt: stats.mtime.toISOString() };
    } catch (error) {
      if (codeOf(error) === "ENOENT") return undefined;
      throw error;
    }
  }

  private async draft(lease: StageLease): Promise<string> {
    await mkdir(this.location, { recursive: true });
    const draft = join(this.location, `.${lease.stage}.${lease.id}.draft`);
    await writeFile(draft, `${JSON.stringify(lease, null, 2)}\n`, { flag: "wx" });
    await utimes(draft, new Date(lease.renewedAt), new Date(lease.renewedAt));
    return draft;
  }
}

function parse(text: string, path: string): StageLease {
  try {
    return JSON.parse(text) as StageLease;
  } catch {
    throw new Error(`${path} is not a dcp stage lease; remove it if no dcp run holds the stage`);
  }
}

function codeOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}
