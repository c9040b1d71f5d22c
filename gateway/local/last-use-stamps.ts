// Every authenticated request stamps its token's last_used_at. Writing that row on each request put a SQLite
// write transaction (and, every thousand or so, a WAL checkpoint with its fsync) on the hot path of every call.
// Instead the stamps wait here and are written together, at most FLUSH_INTERVAL_MS later and at close. This
// process's answers are never stale: the store lays its own stamps, written or not, over what it reads, so its
// caches of what it read stay valid when it writes its stamps (re-reading 500 tokens after every write cost a
// no-change plan's token list 10-30 ms). Another process on the
// file (another worker of `serve --workers N`, a second Gateway, a reader of the file) sees a stamp once it is
// written: up to that interval late (later only while the write waits for the file's lock). A crash loses at most
// that interval's stamps.

import type { Micros } from "./microseconds";

/** How long a stamp may wait before it is written to the database file. */
export const FLUSH_INTERVAL_MS = 1000;

export class LastUseStamps {
  private readonly waiting = new Map<string, Micros>();
  /** The latest stamp this process made per token, written or not: what its reads lay over stored rows. */
  private readonly made = new Map<string, Micros>();
  private timer: NodeJS.Timeout | undefined;

  /** `write` stores a batch (in one transaction); it is called from a timer, at flush() and never concurrently. */
  constructor(private readonly write: (stamps: ReadonlyMap<string, Micros>) => void) {}

  record(tokenId: string, at: Micros): void {
    const known = this.waiting.get(tokenId);
    if (known === undefined || at > known) this.waiting.set(tokenId, at);
    const latest = this.made.get(tokenId);
    if (latest === undefined || at > latest) this.made.set(tokenId, at);
    // unref: a waiting stamp never keeps the process alive; close() flushes it.
    this.timer ??= setTimeout(() => this.flushLater(), FLUSH_INTERVAL_MS).unref();
  }

  /** The later of the stored stamp and this process's own (waiting or already written). */
  latest(tokenId: string, stored: Micros | null): Micros | null {
    const made = this.made.get(tokenId);
    if (made === undefined) return stored;
    return stored === null || made > stored ? made : stored;
  }

  /** A revoked token's stamp has no row left to land on. */
  forget(tokenId: string): void {
    this.waiting.delete(tokenId);
    this.made.delete(tokenId);
  }

  /** Writes the waiting stamps now; when that fails they wait for the next attempt, and the error is thrown. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.waiting.size === 0) return;
    const batch = new Map(this.waiting);
    this.waiting.clear();
    try {
      this.write(batch);
    } catch (error) {
      for (const [tokenId, at] of batch) this.record(tokenId, at);
      throw error;
    }
  }

  // From the timer nobody could handle an error (e.g. the file locked past the busy timeout): the stamps
  // stay waiting and the next interval tries again.
  private flushLater(): void {
    try {
      this.flush();
    } catch {
      // Retried by the timer record() armed again.
    }
  }
}
