// A Node.js server request as connect's universal handlers take it. connect-node's universalRequestFromNodeRequest
// does the same, but aborts the request's signal whenever the response closes, also after a complete answer: each
// call then made an AbortError DOMException (its stack captured) that nothing read, about a tenth of the local
// Gateway's CPU per request under load. Here the signal is aborted only when the exchange ends before the answer
// was finished (the client went away, or the stream was reset), which is all a handler could act on.
// Per request it also skips what the router does not need: the headers are a view over Node's (node-headers.ts),
// the URL is not parsed twice, and on HTTP/1.1 one abort signal serves a connection's requests.
import { setMaxListeners } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import type { Socket } from "node:net";
import { Code, ConnectError, type ContextValues } from "@connectrpc/connect";
import type { UniversalServerRequest } from "@connectrpc/connect/protocol";
import { NodeRequestHeaders } from "./node-headers";

type NodeRequest = IncomingMessage | Http2ServerRequest;
type NodeResponse = ServerResponse | Http2ServerResponse;

export interface NodeExchange {
  readonly request: UniversalServerRequest;
  /** To call when the response closes: aborts the request's signal if the answer was not finished. */
  readonly closed: () => void;
}

// An HTTP/1.1 response that closes unfinished takes its connection down with it, so the requests of one connection
// can share one signal: it is aborted only when the connection is lost with an answer still due.
const connectionSignals = new WeakMap<Socket, AbortController>();

export function nodeExchangeOf(req: NodeRequest, res: NodeResponse, contextValues: ContextValues): NodeExchange {
  const http2 = "stream" in req;
  const encrypted = "encrypted" in req.socket && req.socket.encrypted === true;
  let controller = http2 ? undefined : connectionSignals.get(req.socket);
  if (!controller || controller.signal.aborted) {
    controller = new AbortController();
    if (!http2) {
      // Each request in progress listens (connect links its own signal to this one, and lets go when the call ends);
      // a client pipelining more than ten requests is not a leak, so no warning. (The bundle's own AbortSignal,
      // gateway/local/abort-controller.ts, is no EventTarget and never warns.)
      if (controller.signal instanceof EventTarget) setMaxListeners(0, controller.signal);
      connectionSignals.set(req.socket, controller);
    }
  }
  const signalled = controller;
  const closed = () => {
    if (signalled.signal.aborted || res.writableFinished) return;
    signalled.abort(new ConnectError("the client closed the connection before the answer", Code.Canceled));
  };
  // HTTP/2: a stream's error (a reset) also closes its response, so `closed` covers both.
  return {
    request: {
      httpVersion: req.httpVersion,
      method: req.method ?? "",
      url: requestUrl(encrypted ? "https" : "http", http2 ? req.authority : req.headers.host, req.url ?? "/"),
      header: new NodeRequestHeaders(req.headers),
      body: req,
      signal: signalled.signal,
      contextValues,
    },
    closed,
  };
}

// URLs already seen to be in the form URL would give them: clients call the same few paths on the same Host, and
// the router parses the URL again anyway. At most this many are kept.
const canonicalUrls = new Set<string>();
const CANONICAL_URLS_MAX = 256;

// HTTP/1.0 may omit Host, and a client may send a malformed one: the router needs only the path.
function requestUrl(scheme: string, authority: string | undefined, path: string): string {
  const joined = `${scheme}://${authority || "localhost"}${path}`;
  if (canonicalUrls.has(joined)) return joined;
  try {
    const url = new URL(path, `${scheme}://${authority || "localhost"}`).toString();
    if (url === joined) {
      if (canonicalUrls.size >= CANONICAL_URLS_MAX) canonicalUrls.clear();
      canonicalUrls.add(joined);
    }
    return url;
  } catch {
    return new URL(path, `${scheme}://localhost`).toString();
  }
}
