// Why a Gateway call failed, described for a person: the Connect code and the Gateway's own message, or
// for transport failures what happened on the wire instead of Node's bare errno — always redacted.
import { Code, ConnectError } from "@connectrpc/connect";
import { type GatewayErrorCode, gatewayErrorCode } from "./error-codes";
import { GatewayError } from "./gateway-error";
import { CLIENT_TIMEOUT_MESSAGE, causeChain, failureFacts } from "./failure-facts";

export interface FailureContext {
  readonly baseUrl: string;
  readonly host: string;
  readonly timeoutMs: number;
  /** Removes secrets from text before it becomes an error message. */
  readonly redact: (text: string) => string;
}

/** How many attempts the client made, and over how long (the retry interceptor counts them). */
export interface Attempts {
  readonly attempts: number;
  readonly elapsedMs: number;
}

export function toGatewayError(operation: string, error: unknown, context: FailureContext, attempts?: Attempts): GatewayError {
  const connectError = ConnectError.from(error);
  const facts = failureFacts(error);
  const network = networkFailure(connectError, context);
  const code = network?.code ?? gatewayErrorCode(connectError.code);
  let message = network?.message ?? connectError.rawMessage;
  if (!network && connectError.code === Code.DeadlineExceeded && message === CLIENT_TIMEOUT_MESSAGE) {
    message = `no response from ${context.host} within ${context.timeoutMs} ms`;
  } else if (!network && facts.notConnect && (connectError.code === Code.Unimplemented || !facts.transient)) {
    // Not a Connect answer: something other than the Gateway (a web page, another API) answered here.
    message = `${message} (no agyn Gateway API at ${context.baseUrl}; check the gateway URL)`;
  }
  return new GatewayError(operation, code, context.redact(message), {
    mayHaveApplied: facts.mayHaveApplied,
    transient: facts.transient,
    notConnect: facts.notConnect,
    attempts: attempts?.attempts ?? 1,
    elapsedMs: attempts?.elapsedMs ?? 0,
  });
}

interface NodeSystemError {
  message: string;
  code?: string;
  address?: string;
  port?: number;
  hostname?: string;
}

const TLS_TRUST_ERRORS = new Set([
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** Transport failures get the code "unavailable" (like gRPC's transport errors) and a readable message. */
function networkFailure(error: ConnectError, context: FailureContext): { code: GatewayErrorCode; message: string } | undefined {
  const cause = causeChain(error.cause).find((e): e is NodeSystemError => typeof (e as NodeSystemError).code === "string");
  if (!cause?.code) return undefined;
  const where = cause.address ? `${cause.address}${cause.port ? `:${cause.port}` : ""}` : context.host;
  const unavailable = (message: string) => ({ code: "unavailable" as const, message });
  switch (cause.code) {
    case "ECONNREFUSED":
      return unavailable(`connection refused to ${where}`);
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return unavailable(`cannot resolve host ${cause.hostname ?? context.host}`);
    case "ETIMEDOUT":
      return unavailable(`connection to ${where} timed out`);
    case "ECONNRESET":
    case "EPIPE":
      return unavailable(`connection to ${context.host} was reset`);
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return unavailable(`no route to ${where}`);
    case "EPROTO":
    case "ERR_SSL_WRONG_VERSION_NUMBER": {
      // OpenSSL's message is a long internal trace; its reason ("wrong version number") is what helps.
      const reason = /SSL routines:[^:]*:([^:]+)/.exec(cause.message)?.[1] ?? "protocol error";
      const hint = /wrong version number/.test(reason) ? "; is it serving plain HTTP?" : "";
      return unavailable(`TLS handshake with ${context.host} failed (${reason}${hint})`);
    }
    default:
      if (TLS_TRUST_ERRORS.has(cause.code)) {
        return unavailable(`TLS certificate of ${context.host} is not trusted (${cause.code}): ${cause.message}`);
      }
      return undefined;
  }
}

