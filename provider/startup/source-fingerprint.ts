// Which file, in which state, a code cache was made from — told from the file's metadata, so a launch need not
// hash the whole bundle (SHA-256 of 1.8 MB was a tenth of the start-up's own instructions).
//
// Why it is safe: every change to a file's content sets its ctime to the current time, and that is the kernel's
// doing (utimes can set mtime back, never ctime). A fingerprint is taken only from a file whose last change is
// at least SETTLED_MS old when it is read, far more than any file system's timestamp granularity, so any later
// change — written in place, or a new file that reuses the inode number — carries a later ctime and another
// fingerprint. Device and inode tell files apart, size and mtime are kept as well. A file that changed moments
// ago has no fingerprint: its cache is then checked by the content's digest, as before.
// What this does not cover: a clock stepped back by more than SETTLED_MS between two writes of the same size to
// the same inode, and file systems without a real ctime (FAT, where Linux shows the mtime as ctime).
import type { BigIntStats } from "node:fs";

/** How long a file must have been unchanged before its metadata may stand for its content. */
export const SETTLED_MS = 2000;

/** Fixed size, so the cache file's header has a fixed layout: five 64-bit fields. */
export const FINGERPRINT_BYTES = 40;

/** The fingerprint of a file as `fstat` described it just before its bytes were read, or undefined if too fresh. */
export function sourceFingerprint(stats: BigIntStats, now = Date.now()): Buffer | undefined {
  const changedMs = Number(stats.ctimeNs / 1_000_000n);
  if (!(now - changedMs >= SETTLED_MS)) return undefined; // also a ctime in the future (a clock stepped back)
  const fingerprint = Buffer.alloc(FINGERPRINT_BYTES);
  [stats.dev, stats.ino, stats.size, stats.mtimeNs, stats.ctimeNs].forEach((field, i) => fingerprint.writeBigUInt64LE(BigInt.asUintN(64, field), i * 8));
  return fingerprint;
}
