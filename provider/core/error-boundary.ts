// The boundary every RPC passes: nothing thrown below escapes as a gRPC error or a crash, a DiagnosticError
// ends the call with its diagnostics, anything else is reported as a provider bug, and every diagnostic
// leaves with its secrets redacted.
import { type Diagnostic, DiagnosticError, error } from "../../schema/diagnostics";
import type { Logger } from "../logging/logger";
import { redactSecrets } from "../logging/secret-redaction";
import type { Diagnosed } from "./requests";

export async function withinBoundary<T extends Diagnosed>(
  call: { readonly operation: string; readonly provider: string; readonly log: Logger },
  fn: () => Promise<T>,
  empty: Omit<T, "diagnostics">,
): Promise<T> {
  try {
    const result = await fn();
    return { ...result, diagnostics: result.diagnostics.map(redacted) };
  } catch (err) {
    if (err instanceof DiagnosticError) return { ...empty, diagnostics: err.diagnostics.map(redacted) } as T;
    const message = err instanceof Error ? err.message : String(err);
    call.log.error("unexpected error", { operation: call.operation, error: message, stack: err instanceof Error ? err.stack : undefined });
    return {
      ...empty,
      diagnostics: [redacted(error(`Unexpected error in ${call.operation}`,
        `The ${call.provider} provider failed unexpectedly: ${message}. This is a bug in the provider; please report it with the TF_LOG=debug output.`))],
    } as T;
  }
}

function redacted(d: Diagnostic): Diagnostic {
  return { ...d, summary: redactSecrets(d.summary), detail: d.detail === undefined ? undefined : redactSecrets(d.detail) };
}
