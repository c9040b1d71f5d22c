// The one place that decides how secrets may appear in text the provider emits (logs, diagnostics):
// never. The plugin registers the shapes of its secrets at start-up; the protocol layer knows none itself.

const patterns: RegExp[] = [];
const exactValues = new Set<string>();

/** Registers a secret shape, e.g. the agyn token format; matches are replaced by `replacement(match)`. */
export function registerSecretPattern(pattern: RegExp): void {
  const flags = pattern.flags.includes("g") ? pattern.flags : pattern.flags + "g";
  patterns.push(new RegExp(pattern.source, flags));
}

/** Registers one concrete secret (e.g. the configured token, whatever its shape) for redaction. */
export function registerSecretValue(value: string): void {
  if (value.length >= 8) exactValues.add(value);
}

export function redactSecrets(text: string): string {
  let out = text;
  for (const value of exactValues) if (out.includes(value)) out = out.split(value).join("[redacted]");
  for (const p of patterns) out = out.replace(p, (m) => `${m.slice(0, 5)}…[redacted]`);
  return out;
}
