// Go-style durations ("2160h", "1h30m", "90m", "1.5h"), the spelling Terraform users know from other
// providers' expiry and rotation settings.
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, "μs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/y; // µs (micro sign) and μs (Greek mu), escaped: the bundle stays ASCII

/** Milliseconds, or undefined when the text is not a Go duration. Negative durations are not accepted. */
export function parseGoDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === "") return undefined;
  if (s === "0") return 0;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < s.length) {
    const start = PART.lastIndex;
    const m = PART.exec(s);
    if (!m || m.index !== start) return undefined;
    total += Number(m[1]) * UNIT_MS[m[2]];
  }
  return Number.isFinite(total) ? total : undefined;
}

export function durationProblem(text: string): string | undefined {
  // Go parses "-1h"; saying it is no duration would puzzle whoever wrote it.
  const negative = text.trim().startsWith("-") && parseGoDuration(text.trim().slice(1)) !== undefined;
  const ms = negative ? -1 : parseGoDuration(text);
  if (ms === undefined) return `"${text}" is not a duration. Use Go's duration syntax, e.g. "2160h" (90 days) or "1h30m".`;
  if (ms <= 0) return "The duration must be greater than zero.";
  return undefined;
}
