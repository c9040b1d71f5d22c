// Instants as the Gateway keeps them: microseconds, which JavaScript Dates cannot hold, so an instant is
// (seconds, nanoseconds) and never passes through Date. RFC 3339 is their text form, in state and on the wire.

export interface Instant {
  readonly seconds: bigint;
  readonly nanos: number;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|([+-])(\d{2}):(\d{2}))$/;

export function parseRfc3339(text: string): Instant | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac = "", , sign, oh, om] = m;
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  const check = new Date(Date.UTC(2000, 0, 1, Number(h), Number(mi), Number(s)));
  check.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  const ms = check.getTime();
  // Dates silently roll over (Feb 30 → Mar 2); a real calendar date must round-trip.
  if (check.getUTCFullYear() !== Number(y) || check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1 ||
      Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return undefined;
  }
  // RFC 3339 time-numoffset: hours 00–23, minutes 00–59.
  if (sign && (Number(oh) > 23 || Number(om) > 59)) return undefined;
  let seconds = BigInt(ms / 1000);
  if (sign) seconds -= BigInt((sign === "-" ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60));
  return { seconds, nanos: Number(frac.padEnd(9, "0")) };
}

export function instantFromDate(date: Date): Instant {
  const ms = BigInt(date.getTime());
  const seconds = ms >= 0n ? ms / 1000n : (ms - 999n) / 1000n;
  return { seconds, nanos: Number(ms - seconds * 1000n) * 1_000_000 };
}

/** Compares at microsecond precision: what the Gateway stores. */
export function compareInstants(a: Instant, b: Instant): number {
  if (a.seconds !== b.seconds) return a.seconds < b.seconds ? -1 : 1;
  const ua = Math.floor(a.nanos / 1000);
  const ub = Math.floor(b.nanos / 1000);
  return ua === ub ? 0 : ua < ub ? -1 : 1;
}

export function addMilliseconds(i: Instant, ms: number): Instant {
  const totalNanos = BigInt(i.nanos) + BigInt(Math.round(ms * 1e6));
  const carry = totalNanos >= 0n ? totalNanos / 1_000_000_000n : (totalNanos - 999_999_999n) / 1_000_000_000n;
  return { seconds: i.seconds + carry, nanos: Number(totalNanos - carry * 1_000_000_000n) };
}

/** UTC, with 0, 3, 6 or 9 fractional digits as needed — the spelling the Gateway's JSON uses. */
export function formatRfc3339(i: Instant): string {
  const date = new Date(Number(i.seconds) * 1000).toISOString().slice(0, 19);
  if (i.nanos === 0) return `${date}Z`;
  let frac = String(i.nanos).padStart(9, "0");
  while (frac.length > 3 && frac.endsWith("000")) frac = frac.slice(0, -3);
  return `${date}.${frac}Z`;
}
