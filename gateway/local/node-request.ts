// A Node.js server request as connect's universal handlers take it. connect-node's universalRequestFromNodeRequest
// does the same, but aborts the request's signal whenever the response closes, also after a complete answer: each
// call then made an AbortError DOMException (its stack captured) that nothing read, about a tenth of the local
// Gateway's CPU per request under load. Here the signal is aborted only when the exchange ends before the answer
// was finished (the client went away, or the stream was reset), which is all a handler could act on.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import { Code, ConnectError, type ContextValues } from "@connectrpc/connect";
import type { UniversalServerRequest } from "@connectrpc/connect/protocol";

type NodeRequest = IncomingMessage | Http2ServerRequest;
type NodeResponse = ServerResponse | Http2ServerResponse;

export function universalRequestOf(req: NodeRequest, res: NodeResponse, contextValues: ContextValues): UniversalServerRequest {
  const encrypted = "encrypted" in req.socket && req.socket.encrypted === true;
  const controller = new AbortController();
  const abandoned = (cause?: unknown) => {
    if (controller.signal.aborted || res.writableFinished) return;
    controller.abort(new ConnectError("the client closed the connection before the answer", Code.Canceled, undefined, undefined, cause));
  };
  // HTTP/1.1: the response's close (the request's comes as soon as its body is read); HTTP/2: the stream's.
  res.once("close", () => abandoned());
  req.once("error", abandoned);
  return {
    httpVersion: req.httpVersion,
    method: req.method ?? "",
    url: requestUrl(encrypted ? "https" : "http", "authority" in req ? req.authority : req.headers.host, req.url ?? "/"),
    header: webHeaders(req.headers),
    body: req,
    signal: controller.signal,
    contextValues,
  };
}

// HTTP/1.0 may omit Host, and a client may send a malformed one: the router needs only the path.
function requestUrl(scheme: string, authority: string | undefined, path: string): string {
  try {
    return new URL(path, `${scheme}://${authority || "localhost"}`).toString();
  } catch {
    return new URL(path, `${scheme}://localhost`).toString();
  }
}

function webHeaders(nodeHeaders: IncomingMessage["headers"]): Headers {
  const header = new Headers();
  for (const [name, value] of Object.entries(nodeHeaders)) {
    // HTTP/2 pseudo-headers (:path, :authority, …) are not headers.
    if (value === undefined || name.startsWith(":")) continue;
    if (Array.isArray(value)) for (const item of value) header.append(name, item);
    else header.append(name, String(value));
  }
  return header;
}
