// The users service keeps timestamps in Postgres (microsecond precision); the local Gateway stores
// integer microseconds since the Unix epoch as bigint, because far-future expiries (year 9999) do not
// fit in a double at microsecond precision.
import { create } from "@bufbuild/protobuf";
import { type Timestamp, TimestampSchema } from "@bufbuild/protobuf/wkt";

export type Micros = bigint;
export type MicrosClock = () => Micros;

const MICROS_PER_SECOND = 1_000_000n;
// google.protobuf.Timestamp's valid range: 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59.999999999Z.
const MIN_SECONDS = -62_135_596_800n;
const MAX_SECONDS = 253_402_300_799n;

// Mixing Date.now() and performance.now() per call would make the clock jump back and forth within a
// millisecond; anchoring once keeps it monotonic between adjustments.
let anchor = wallMicrosAtMonotonicZero();

function wallMicrosAtMonotonicZero(): number {
  return Date.now() * 1000 - performance.now() * 1000;
}

/** Wall-clock time with microsecond resolution (Date.now() alone only has milliseconds). */
export const systemMicros: MicrosClock = () => {
  let micros = anchor + performance.now() * 1000;
  // The monotonic clock does not follow wall-clock adjustments; re-anchor when they part by > 1 s.
  if (Math.abs(micros - Date.now() * 1000) > 1_000_000) {
    anchor = wallMicrosAtMonotonicZero();
    micros = anchor + performance.now() * 1000;
  }
  return BigInt(Math.floor(micros));
};

export function timestampFromMicros(micros: Micros): Timestamp {
  let seconds = micros / MICROS_PER_SECOND;
  let rest = micros % MICROS_PER_SECOND;
  if (rest < 0n) {
    seconds -= 1n;
    rest += MICROS_PER_SECOND;
  }
  return create(TimestampSchema, { seconds, nanos: Number(rest) * 1000 });
}

/** Truncates to microseconds, like Postgres does; undefined when outside Timestamp's valid range. */
export function microsFromTimestamp(timestamp: Timestamp): Micros | undefined {
  if (timestamp.seconds < MIN_SECONDS || timestamp.seconds > MAX_SECONDS) return undefined;
  if (timestamp.nanos < 0 || timestamp.nanos > 999_999_999) return undefined;
  return timestamp.seconds * MICROS_PER_SECOND + BigInt(Math.floor(timestamp.nanos / 1000));
}
