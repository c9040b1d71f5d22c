// How steadily a closed-loop row went: requests started per 100 ms window. A p99 over a few seconds is set by
// its slowest stretch, and on a shared virtual machine whole stretches run at half speed or less with no CPU steal
// reported (the host's other guests share caches, memory bandwidth or a core's other thread). A Gateway pause (a
// major GC) costs a window tens of milliseconds; a window at a third of the median is the machine.
import { median } from "./statistics";

/** Length of a window, ms. */
export const PACE_WINDOW_MS = 100;

/**
 * The slowest whole window's requests as a share (0–1) of the median window's, from the requests' start times
 * (ms, any origin). The first and last windows are partial and left out; undefined with fewer than three whole ones.
 */
export function slowestWindowShare(startsMs: readonly number[], windowMs = PACE_WINDOW_MS): number | undefined {
  if (startsMs.length === 0) return undefined;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const start of startsMs) {
    if (start < first) first = start;
    if (start > last) last = start;
  }
  const windows = Math.floor((last - first) / windowMs);
  // Whole windows are 1 .. windows-1 counted from the first start: window 0 began with the first request already
  // under way elsewhere, window `windows` ends after the last one.
  if (windows - 1 < 3) return undefined;
  const counts = new Array<number>(windows + 1).fill(0);
  for (const start of startsMs) counts[Math.floor((start - first) / windowMs)]++;
  const whole = counts.slice(1, windows);
  const middle = median(whole);
  return middle === 0 ? undefined : Math.min(...whole) / middle;
}
