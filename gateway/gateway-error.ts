// A failed Gateway call. Kept apart from client.ts so code that only inspects errors does not load the
// Connect stack (the plugin loads it lazily, at Configure, to start fast).
import type { GatewayErrorCode } from "./error-codes";
import type { TlsRefusalKind } from "./tls-refusal";

export class GatewayError extends Error {
  constructor(
    /** The RPC, e.g. "CreateAPIToken". */
    readonly operation: string,
    readonly code: GatewayErrorCode,
    /** The Gateway's own message, or a short description of a network failure. Redacted. */
    readonly gatewayMessage: string,
    /** Set when the client refused the Gateway's TLS certificate (nothing was sent to it). */
    readonly tlsRefusal?: TlsRefusalKind,
  ) {
    super(`${operation} failed (${code}): ${gatewayMessage}`);
    this.name = "GatewayError";
  }
}
