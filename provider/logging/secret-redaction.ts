// The one place that decides how secrets may appear in text the provider emits (logs, diagnostics, Gateway
// errors): never. A provider registers the shapes of its secrets (a pattern's first capture group stays
// readable, e.g. a token's "agyn_" scheme) and each concrete secret it is configured with; every match is
// replaced by the one marker. The framework knows no secret shape itself.

export const REDACTION_MARKER = "…[redacted]";

const patterns: RegExp[] = [];
const exactValues = new Set<string>();

/** Registers a secret shape, e.g. the agyn token format. Registering the same shape twice is harmless. */
export function registerSecretPattern(pattern: RegExp): void {
  const flags = pattern.flags.includes("g") ? pattern.flags : pattern.flags + "g";
  if (patterns.some((p) => p.source === pattern.source)) return;
  patterns.push(new RegExp(pattern.source, flags));
}

/** Registers one concrete secret (e.g. the configured token, whatever its shape) for redaction. */
export function registerSecretValue(value: string): void {
  if (value.length >= 8) exactValues.add(value);
}

export function redactSecrets(text: string): string {
  let out = text;
  for (const value of exactValues) if (out.includes(value)) out = out.split(value).join(REDACTION_MARKER);
  for (const p of patterns) out = out.replace(p, (_match, visible?: unknown) => `${typeof visible === "string" ? visible : ""}${REDACTION_MARKER}`);
  return out;
}
