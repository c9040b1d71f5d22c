// What a failed Gateway call tells about the request: whether the Gateway may have carried it out, whether
// another attempt could succeed, and how long the Gateway asked to wait. The retry interceptor and the
// recovery after a failed create decide on these facts; gateway-failure.ts words the message.
import { Code, ConnectError } from "@connectrpc/connect";

export interface FailureFacts {
  /**
   * False only when the request certainly had no effect: it never left this machine (connection refused,
   * unresolvable host, TLS refused), or the Gateway itself answered that it did nothing.
   */
  readonly mayHaveApplied: boolean;
  /** Another attempt later may succeed: the Gateway, or the way to it, is overloaded, restarting or flaky. */
  readonly transient: boolean;
  /** The Gateway said "aborted": a transaction lost a race and was rolled back (only writes can). */
  readonly conflict?: boolean;
  /** The Gateway's Retry-After, in milliseconds. */
  readonly retryAfterMs?: number;
  /** The answer did not come from a Connect server: something else listens at the URL. */
  readonly notConnect: boolean;
  /** The Node.js error code of a transport failure (ECONNRESET, …). */
  readonly networkCode?: string;
}

/** What connect-es reports when a deadline signal fires (our per-attempt timeout). */
export const CLIENT_TIMEOUT_MESSAGE = "the operation timed out";

// The request never reached the Gateway: safe to send again at once.
const NOT_SENT_TRANSIENT = new Set(["ECONNREFUSED", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ENETDOWN"]);
// The connection broke after the request may have been written: the Gateway may have acted on it.
const BROKEN_CONNECTION = new Set(["ECONNRESET", "EPIPE", "ETIMEDOUT", "ECONNABORTED", "ERR_STREAM_PREMATURE_CLOSE", "UND_ERR_SOCKET"]);

const HTTP_STATUS_MESSAGE = /^HTTP (\d{3})$/;

export function failureFacts(error: unknown): FailureFacts {
  const connectError = ConnectError.from(error);
  const networkCode = nodeErrorCode(connectError.cause ?? error);
  const retryAfterMs = parseRetryAfter(connectError.metadata.get("retry-after"));
  if (networkCode !== undefined) {
    if (NOT_SENT_TRANSIENT.has(networkCode)) return { mayHaveApplied: false, transient: true, notConnect: false, networkCode };
    if (BROKEN_CONNECTION.has(networkCode)) return { mayHaveApplied: true, transient: true, notConnect: false, networkCode };
    // An unresolvable host or an untrusted certificate: nothing was sent, and trying again changes nothing.
    if (networkCode === "ENOTFOUND" || /CERT|SSL|TLS|EPROTO/.test(networkCode)) {
      return { mayHaveApplied: false, transient: false, notConnect: false, networkCode };
    }
    return { mayHaveApplied: true, transient: false, notConnect: false, networkCode };
  }
  const message = connectError.rawMessage;
  if (connectError.code === Code.DeadlineExceeded && message === CLIENT_TIMEOUT_MESSAGE) {
    return { mayHaveApplied: true, transient: true, notConnect: false };
  }
  if (message.startsWith("unsupported content type")) return { mayHaveApplied: false, transient: false, notConnect: true };
  const status = HTTP_STATUS_MESSAGE.exec(message);
  if (status) {
    // An HTTP status without a Connect error body: a proxy or load balancer answered, or no Gateway at all.
    const code = Number(status[1]);
    if (code === 429) return { mayHaveApplied: false, transient: true, retryAfterMs, notConnect: true };
    if (code === 502 || code === 503 || code === 504) return { mayHaveApplied: true, transient: true, retryAfterMs, notConnect: true };
    if (code >= 500) return { mayHaveApplied: true, transient: false, notConnect: true };
    return { mayHaveApplied: false, transient: false, notConnect: true };
  }
  // The Gateway's own Connect error.
  switch (connectError.code) {
    case Code.Unavailable:
    case Code.DeadlineExceeded:
      // The Gateway may have lost its answer from the users service after the change was made.
      return { mayHaveApplied: true, transient: true, retryAfterMs, notConnect: false };
    case Code.ResourceExhausted:
      return { mayHaveApplied: false, transient: true, retryAfterMs, notConnect: false };
    case Code.Aborted:
      // A transaction lost a race: rolled back, so nothing happened.
      return { mayHaveApplied: false, transient: true, conflict: true, retryAfterMs, notConnect: false };
    case Code.Unknown:
    case Code.Internal:
    case Code.DataLoss:
    case Code.Canceled:
      return { mayHaveApplied: true, transient: false, notConnect: false };
    default:
      return { mayHaveApplied: false, transient: false, notConnect: false };
  }
}

/** Retry-After as delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The first Node.js error code along the cause chain. Duck-typed rather than `instanceof Error`: Node's own
 * errors come from another realm under test runners that sandbox globals (jest).
 */
export function nodeErrorCode(error: unknown): string | undefined {
  return causeChain(error).map((e) => (e as { code?: unknown }).code).find((c): c is string => typeof c === "string");
}

export function causeChain(error: unknown): object[] {
  const chain: object[] = [];
  for (let e: unknown = error; typeof e === "object" && e !== null && !chain.includes(e); e = (e as { cause?: unknown }).cause) {
    chain.push(e);
  }
  return chain;
}
