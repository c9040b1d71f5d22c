// Go-style durations ("2160h", "1h30m", "90m", "1.5h"), the spelling Terraform users know from other
// providers' expiry and rotation settings. Parsed as Go's time.ParseDuration does — nanoseconds in a signed
// 64-bit integer, fractions through a float64 — so exactly the durations Go accepts are accepted, up to
// 2562047h47m16.854775807s; only signs are refused (a lifetime or a window is never negative).
import { quoted } from "../schema/diagnostics";

const UNIT_NS: Record<string, bigint> = {
  // µs (micro sign) and μs (Greek mu), escaped: the bundle stays ASCII.
  ns: 1n, us: 1_000n, "\u00b5s": 1_000n, "\u03bcs": 1_000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n,
};
const MAX_NS = (1n << 63n) - 1n;
const OVERFLOW = 1n << 63n;

/** The largest duration Go can hold, spelled as Go prints it. */
export const MAX_GO_DURATION = "2562047h47m16.854775807s";

type Parsed = { ns: bigint } | { problem: "syntax" | "range" };

/** Nanoseconds, or why the text is not a Go duration (its syntax, or a value past Go's range). */
export function parseGoDurationNanos(text: string): Parsed {
  const s = text.trim();
  if (s === "0") return { ns: 0n };
  if (s === "") return { problem: "syntax" };
  let total = 0n;
  let i = 0;
  const digit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
  while (i < s.length) {
    if (!(s[i] === "." || digit(s[i]))) return { problem: "syntax" };
    // Whole part (Go's leadingInt): past 2^63 is out of range.
    let whole = 0n;
    const wholeStart = i;
    for (; digit(s[i]); i++) {
      whole = whole * 10n + BigInt(s.charCodeAt(i) - 48);
      if (whole > OVERFLOW) return { problem: "range" };
    }
    const hasWhole = i > wholeStart;
    // Fraction (Go's leadingFraction): digits past what fits are dropped, not an error.
    let fraction = 0n;
    let scale = 1;
    let hasFraction = false;
    if (s[i] === ".") {
      i++;
      const fractionStart = i;
      let overflow = false;
      for (; digit(s[i]); i++) {
        if (overflow) continue;
        if (fraction > MAX_NS / 10n) {
          overflow = true;
          continue;
        }
        const next = fraction * 10n + BigInt(s.charCodeAt(i) - 48);
        if (next > OVERFLOW) {
          overflow = true;
          continue;
        }
        fraction = next;
        scale *= 10;
      }
      hasFraction = i > fractionStart;
    }
    if (!hasWhole && !hasFraction) return { problem: "syntax" };
    const unitStart = i;
    while (i < s.length && s[i] !== "." && !digit(s[i])) i++;
    const unit = UNIT_NS[s.slice(unitStart, i)];
    if (unit === undefined) return { problem: "syntax" };
    if (whole > OVERFLOW / unit) return { problem: "range" };
    let value = whole * unit;
    if (fraction > 0n) {
      // Like Go: float64 is nanosecond-accurate for fractions of an hour.
      value += BigInt(Math.trunc(Number(fraction) * (Number(unit) / scale)));
      if (value > OVERFLOW) return { problem: "range" };
    }
    total += value;
    if (total > OVERFLOW) return { problem: "range" };
  }
  return total > MAX_NS ? { problem: "range" } : { ns: total };
}

/** Milliseconds, or undefined when the text is not a Go duration (or past Go's range). Signs are not accepted. */
export function parseGoDuration(text: string): number | undefined {
  const parsed = parseGoDurationNanos(text);
  return "ns" in parsed ? Number(parsed.ns) / 1e6 : undefined;
}

/** Why `text` is no positive Go duration, or undefined; `examples` are what the message suggests instead. */
export function durationProblem(text: string, examples = '"2160h" (90 days) or "1h30m"'): string | undefined {
  const parsed = parseGoDurationNanos(text);
  if ("problem" in parsed) {
    // Go parses "-1h"; saying it is no duration would puzzle whoever wrote it.
    const unsigned = text.trim().startsWith("-") ? parseGoDurationNanos(text.trim().slice(1)) : undefined;
    if (unsigned && !("problem" in unsigned)) return "The duration must be greater than zero.";
    return parsed.problem === "range"
      ? `${quoted(text)} is longer than the longest duration there is: Go's durations end at ${MAX_GO_DURATION} (about 292 years).`
      : `${quoted(text)} is not a duration. Use Go's duration syntax, e.g. ${examples}.`;
  }
  if (parsed.ns <= 0n) return "The duration must be greater than zero.";
  return undefined;
}
