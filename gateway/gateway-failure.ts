// Why a Gateway call failed, described for a person: the Connect code and the Gateway's own message, or
// for transport failures what happened on the wire instead of Node's bare errno — always redacted.
import { Code, ConnectError } from "@connectrpc/connect";
import { type GatewayErrorCode, gatewayErrorCode } from "./error-codes";
import { GatewayError } from "./gateway-error";
import { CLIENT_TIMEOUT_MESSAGE, causeChain, failureFacts } from "./failure-facts";
import { type CertificateErrorCause, type TlsRefusalKind, describeTlsRefusal } from "./tls-refusal";

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
    // Node checks the certificate before it writes the request: a refused Gateway never received it.
    mayHaveApplied: network?.tlsRefusal ? false : facts.mayHaveApplied,
    transient: network?.tlsRefusal ? false : facts.transient,
    notConnect: facts.notConnect,
    attempts: attempts?.attempts ?? 1,
    elapsedMs: attempts?.elapsedMs ?? 0,
  }, network?.tlsRefusal);
}

interface NodeSystemError {
  message: string;
  code?: string;
  address?: string;
  port?: number;
  hostname?: string;
}

/** Transport failures get the code "unavailable" (like gRPC's transport errors) and a readable message. */
function networkFailure(
  error: ConnectError,
  context: FailureContext,
): { code: GatewayErrorCode; message: string; tlsRefusal?: TlsRefusalKind } | undefined {
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
    default: {
      const refusal = describeTlsRefusal(cause as CertificateErrorCause, context.host);
      return refusal && { ...unavailable(refusal.message), tlsRefusal: refusal.kind };
    }
  }
}

