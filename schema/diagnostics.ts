// Terraform diagnostics as the provider builds them. Every handler returns these instead of throwing.
import type { Path } from "./path";

export interface Diagnostic {
  readonly severity: "error" | "warning";
  readonly summary: string;
  readonly detail?: string;
  /** Attribute path relative to the object of the request (resource, data source or provider config). */
  readonly path?: Path;
}

export function error(summary: string, detail?: string, path?: Path): Diagnostic {
  return { severity: "error", summary, detail, path };
}

export function warning(summary: string, detail?: string, path?: Path): Diagnostic {
  return { severity: "warning", summary, detail, path };
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === "error");
}

/** Thrown from deep inside an operation to end it with these diagnostics (caught at the core boundary). */
export class DiagnosticError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(...diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => d.summary).join("; "));
    this.name = "DiagnosticError";
    this.diagnostics = diagnostics;
  }
}

/** How many characters of user input a message quotes. */
export const QUOTED_INPUT_MAX = 64;

/**
 * User input inside a message: in double quotes with control characters escaped, and cut after
 * QUOTED_INPUT_MAX characters, so no input (a megabyte-long id, a pasted secret) floods the output. Secrets
 * are removed later, where every diagnostic leaves the provider (the core's error boundary).
 */
export function quoted(value: string, max = QUOTED_INPUT_MAX): string {
  if (value.length <= max) return JSON.stringify(value);
  const kept = Array.from(value.slice(0, max * 2)).slice(0, max).join("");
  return `${JSON.stringify(`${kept}…`)} (${value.length} characters)`;
}
