// The local Gateway's HTTP entry point: routes Connect (JSON and binary) and gRPC calls to the service handlers,
// like connect-node's adapter, plus what a Gateway open to the network needs:
//  - the caller is authenticated from the headers alone; a refused call's body is never read;
//  - request bodies are capped (a declared Content-Length over the cap is refused before reading);
//  - a malformed binary message is invalid_argument, as connect-go answers (connect-es says internal);
//  - one log line per request, with the code the answer actually carried.
// gRPC-Web is not served: it is a browser protocol, and the local Gateway sends no CORS headers.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import {
  Code,
  ConnectError,
  type ConnectRouter,
  type ContextValues,
  type Interceptor,
  createConnectRouter,
  createContextKey,
  createContextValues,
} from "@connectrpc/connect";
import { universalResponseToNodeResponse } from "@connectrpc/connect-node";
import { type UniversalServerResponse, createAsyncIterable } from "@connectrpc/connect/protocol";
import { codeFromHttpStatus, codeToHttpStatus, errorFromJsonBytes, errorToJsonBytes } from "@connectrpc/connect/protocol-connect";
import { findTrailerError, setTrailerStatus } from "@connectrpc/connect/protocol-grpc";
import { gatewayErrorCode } from "../error-codes";
import { nodeExchangeOf } from "./node-request";

export interface ConnectEndpointOptions {
  readonly routes: (router: ConnectRouter) => void;
  /** Largest request body read, in bytes. */
  readonly readMaxBytes: number;
  /**
   * Decides from the request headers alone whether the call may proceed, recording what handlers need (the
   * caller) in `values`. Throwing a ConnectError refuses the call without reading its body.
   */
  readonly admit: (header: Headers, values: ContextValues) => void;
  /** One line per request; it quotes what the client sent (its User-Agent), so the sink redacts. */
  readonly log?: (line: string) => void;
}

type NodeRequest = IncomingMessage | Http2ServerRequest;
type NodeResponse = ServerResponse | Http2ServerResponse;

/** An error the Gateway's own code did not expect (a bug, a broken database): answered as internal, logged with its cause. */
const unexpectedFailureKey = createContextKey<unknown>(undefined, { description: "unexpected failure" });

// connect-es reports an undecodable binary message as internal with this prefix; the fault is the caller's.
const BINARY_PARSE_FAILURE = "parse binary: ";

export function createConnectEndpoint(options: ConnectEndpointOptions): (req: NodeRequest, res: NodeResponse) => void {
  const router = createConnectRouter({
    readMaxBytes: options.readMaxBytes,
    grpcWeb: false,
    interceptors: [unexpectedFailuresAreInternal()],
  });
  options.routes(router);
  const handlers = new Map(router.handlers.map((handler) => [handler.requestPath, handler]));

  return (req, res) => {
    const started = performance.now();
    const log = (what: string, outcome: string, values?: ContextValues) => {
      if (!options.log) return;
      const userAgent = JSON.stringify(String(req.headers["user-agent"] ?? ""));
      const failure = values?.get(unexpectedFailureKey);
      const cause = failure === undefined ? "" : ` cause=${JSON.stringify(messageOf(failure))}`;
      options.log(`${what} ${outcome} ${Math.round(performance.now() - started)}ms user-agent=${userAgent}${cause}`);
    };

    const path = (req.url ?? "").split("?", 1)[0];
    const handler = handlers.get(path);
    if (!handler) {
      res.writeHead(404);
      res.end();
      log(`${req.method} ${JSON.stringify(path.slice(0, 200))}`, "HTTP 404");
      return;
    }

    const values = createContextValues();
    const exchange = nodeExchangeOf(req, res, values);
    let request = exchange.request;
    try {
      options.admit(request.header, values);
    } catch (error) {
      const refusal = expectedOrInternal(error, values);
      // Without a length to check first, the handler goes straight to the body, which answers with the refusal.
      request.header.delete("content-length");
      request = { ...request, body: refusingBody(refusal) };
    }
    // Logged once the answer is out (or the connection gone): only then is a gRPC status final.
    let outcome: (() => string) | undefined;
    res.once("close", () => {
      exchange.closed();
      log(handler.method.name, res.writableFinished && outcome ? outcome() : "not answered (connection closed)", values);
    });
    handler(request)
      .then(settle)
      .then((settled) => {
        outcome = settled.outcome;
        return writeResponse(settled.response, res);
      })
      .catch((reason: unknown) => {
        // The client went away mid-answer, or (a bug) the handler failed outside the protocol: end the exchange.
        values.set(unexpectedFailureKey, reason);
        if (!res.headersSent) {
          outcome = () => "HTTP 500";
          res.writeHead(500);
          res.end();
        } else {
          res.destroy();
        }
      });
  };
}

/**
 * Sends the answer. A Connect unary answer (the only kind UsersGateway gives outside gRPC) is complete when the
 * handler returns it, so its head and body go out in one write; gRPC, with its trailers, goes through connect-node.
 */
async function writeResponse(response: UniversalServerResponse, res: NodeResponse): Promise<void> {
  const contentType = response.header?.get("content-type") ?? "";
  if (!contentType.startsWith("application/proto") && !contentType.startsWith("application/json")) {
    return universalResponseToNodeResponse(response, res);
  }
  const chunks: Uint8Array[] = [];
  if (response.body) for await (const chunk of response.body) chunks.push(chunk);
  // The client went away while the answer was read: nothing to write to (an HTTP/2 response has no `destroyed`).
  if ("stream" in res ? res.stream.destroyed : res.destroyed) return;
  const header: Record<string, string> = {};
  response.header?.forEach((value, name) => (header[name] = value));
  res.writeHead(response.status, header);
  res.end(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
}

/** Thrown from the service or the admission check: a ConnectError stands; anything else is internal. */
function expectedOrInternal(error: unknown, values: ContextValues): ConnectError {
  if (error instanceof ConnectError) return error;
  values.set(unexpectedFailureKey, error);
  return new ConnectError("internal error", Code.Internal, undefined, undefined, error);
}

function unexpectedFailuresAreInternal(): Interceptor {
  return (next) => async (req) => {
    try {
      return await next(req);
    } catch (error) {
      throw expectedOrInternal(error, req.contextValues);
    }
  };
}

/** A request body that fails on first read: the handler answers with `error` and the real body stays unread. */
function refusingBody(error: ConnectError): AsyncIterable<Uint8Array> {
  return { [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error) }) };
}

interface Settled {
  readonly response: UniversalServerResponse;
  /** The code the answer carried ("ok", a Connect code, or "HTTP <status>" for a non-RPC answer); final once sent. */
  readonly outcome: () => string;
}

/** Reads the code off the handler's answer (correcting a binary parse failure to invalid_argument) without changing anything else. */
async function settle(response: UniversalServerResponse): Promise<Settled> {
  const contentType = response.header?.get("content-type") ?? "";
  if (contentType.startsWith("application/grpc")) return settleGrpc(response);
  if (response.status === 200) return { response, outcome: () => "ok" };
  const httpOutcome = { response, outcome: () => `HTTP ${response.status}` };
  if (!contentType.startsWith("application/json") || response.header?.has("content-encoding") || !response.body) return httpOutcome;
  // A Connect unary error: a small JSON body, already complete.
  const chunks: Uint8Array[] = [];
  for await (const chunk of response.body) chunks.push(chunk);
  const bytes = Buffer.concat(chunks);
  const error = errorFromJsonBytes(bytes, undefined, new ConnectError(`HTTP ${response.status}`, codeFromHttpStatus(response.status)));
  if (!isBinaryParseFailure(error)) {
    return { response: { ...response, body: createAsyncIterable([bytes]) }, outcome: () => gatewayErrorCode(error.code) };
  }
  const corrected = errorToJsonBytes(new ConnectError(error.rawMessage, Code.InvalidArgument), {});
  const header = new Headers(response.header);
  header.set("content-length", String(corrected.byteLength));
  return {
    response: { ...response, status: codeToHttpStatus(Code.InvalidArgument), header, body: createAsyncIterable([corrected]) },
    outcome: () => gatewayErrorCode(Code.InvalidArgument),
  };
}

/** gRPC carries its status in trailers, complete once the body has been written. */
function settleGrpc(response: UniversalServerResponse): Settled {
  const { body, trailer } = response;
  if (!body || !trailer) return { response, outcome: () => `HTTP ${response.status}` };
  let outcome = "not answered";
  async function* watched(): AsyncIterable<Uint8Array> {
    yield* body!;
    const error = findTrailerError(trailer!);
    if (error && isBinaryParseFailure(error)) setTrailerStatus(trailer!, new ConnectError(error.rawMessage, Code.InvalidArgument));
    outcome = error ? gatewayErrorCode(findTrailerError(trailer!)!.code) : "ok";
  }
  return { response: { ...response, body: watched() }, outcome: () => outcome };
}

function isBinaryParseFailure(error: ConnectError): boolean {
  return error.code === Code.Internal && error.rawMessage.startsWith(BINARY_PARSE_FAILURE);
}

// Duck-typed: errors from native modules (better-sqlite3) may come from another realm under test runners.
function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === "string" ? message : String(error);
}
