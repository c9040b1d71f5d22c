// A failed Gateway call. Kept apart from client.ts so code that only inspects errors does not load the
// Connect stack (the plugin loads it lazily, at Configure, to start fast).
import type { GatewayErrorCode } from "./error-codes";
import type { TlsRefusalKind } from "./tls-refusal";

/** What the client knows about the failure beyond its code: see failure-facts.ts. */
export interface GatewayErrorFacts {
  /** False only when the request certainly had no effect. */
  readonly mayHaveApplied: boolean;
  /** Another attempt later may succeed. */
  readonly transient: boolean;
  /** Something other than a Connect server answered at the Gateway URL. */
  readonly notConnect: boolean;
  /** How many attempts were made (the client retries transient failures of calls that are safe to repeat). */
  readonly attempts: number;
  /** How long the attempts took, in milliseconds. */
  readonly elapsedMs: number;
}

const ANSWERED: GatewayErrorFacts = { mayHaveApplied: false, transient: false, notConnect: false, attempts: 1, elapsedMs: 0 };

export class GatewayError extends Error {
  readonly facts: GatewayErrorFacts;

  constructor(
    /** The RPC, e.g. "CreateAPIToken". */
    readonly operation: string,
    readonly code: GatewayErrorCode,
    /** The Gateway's own message, or a short description of a network failure. Redacted. */
    readonly gatewayMessage: string,
    facts: Partial<GatewayErrorFacts> = {},
    /** Set when the client refused the Gateway's TLS certificate (nothing was sent to it). */
    readonly tlsRefusal?: TlsRefusalKind,
  ) {
    super(`${operation} failed (${code}): ${gatewayMessage}`);
    this.name = "GatewayError";
    this.facts = { ...ANSWERED, ...facts };
  }
}
