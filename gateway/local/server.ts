// The local Gateway's HTTP server: one Connect endpoint (Connect JSON/binary, gRPC) reachable at the root, under
// /api/ (like behind the web UI's host) and at the path the product docs show. Plain HTTP/1.1, or with a
// certificate TLS serving HTTP/2 and HTTP/1.1 as the client's ALPN asks.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import { type Http2SecureServer, type Http2ServerRequest, type Http2ServerResponse, createSecureServer } from "node:http2";
import { type AddressInfo, isIP, type Socket } from "node:net";
import { UsersGateway } from "../../gen/agynio/api/gateway/v1/users_gateway_pb";
import { admitCaller, bootstrapTokenProblem } from "./auth";
import { createConnectEndpoint } from "./connect-endpoint";
import { REQUEST_MAX_BYTES } from "./limits";
import { GatewayStore } from "./store";
import { createUsersGatewayService } from "./users-gateway-service";

export interface LocalGatewayTls {
  /** PEM: the server certificate, optionally followed by its intermediates. */
  readonly cert: string | Buffer;
  /** PEM: the certificate's private key. */
  readonly key: string | Buffer;
}

export interface LocalGatewayOptions {
  readonly dbPath: string;
  /** Where to listen; a host name (not an address) is also what the URL names, so it can match a certificate. */
  readonly host?: string;
  /** 0 picks any free port. */
  readonly port?: number;
  /** Serve HTTPS (HTTP/2 and HTTP/1.1 by ALPN) with this certificate instead of plain HTTP/1.1. */
  readonly tls?: LocalGatewayTls;
  /**
   * A platform bootstrap (cluster admin) token, like the real Gateway's; optional. It may manage users
   * but has no user record. Refused when bootstrapTokenProblem() objects to it.
   */
  readonly bootstrapToken?: string;
  /**
   * One line per request (method, code, duration, User-Agent as the client sent it: the sink redacts) and per TLS
   * connection a client gave up on.
   */
  readonly log?: (line: string) => void;
  /** How long a connection (or HTTP/2 session) may sit idle before it is closed; default IDLE_CONNECTION_TIMEOUT_MS. */
  readonly idleTimeoutMs?: number;
}

export interface LocalGateway {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:43123`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const SERVICE_PATH = `/${UsersGateway.typeName}/`;
/** The product docs' curl example uses a service name that does not exist in the real API. */
const DOCUMENTED_ALIAS_PATH = "/api/agynio.api.users.v1.UsersGateway/";
const API_PREFIX = "/api/";
/**
 * How long an idle keep-alive connection (or HTTP/2 session) stays open: about a typical load balancer's idle
 * timeout, far longer than Node's 5 s, after which a client reusing its connection after a pause (a slow
 * terraform run, an event loop held up) met a reset instead of an answer.
 */
export const IDLE_CONNECTION_TIMEOUT_MS = 65_000;

export async function startLocalGateway(options: LocalGatewayOptions): Promise<LocalGateway> {
  const problem = options.bootstrapToken === undefined ? undefined : bootstrapTokenProblem(options.bootstrapToken);
  if (problem) throw new Error(`the bootstrap admin token ${problem}`);
  const store = GatewayStore.open(options.dbPath);
  const endpoint = createConnectEndpoint({
    routes: (router) => router.service(UsersGateway, createUsersGatewayService(store)),
    readMaxBytes: REQUEST_MAX_BYTES,
    admit: admitCaller(store, { bootstrapToken: options.bootstrapToken }),
    log: options.log,
  });
  // TLS connections that carried a request: one closed without any was most likely refused by its client.
  const served = new WeakSet<Socket>();
  const onRequest = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => {
    served.add("stream" in req ? (req.stream.session?.socket as Socket) : req.socket);
    req.url = canonicalPath(req.url ?? "/");
    endpoint(req, res);
  };
  let server: Server | Http2SecureServer;
  try {
    server = options.tls
      ? createSecureServer({ cert: options.tls.cert, key: options.tls.key, allowHTTP1: true }, onRequest)
      : createServer(onRequest);
  } catch (error) {
    store.close();
    throw error;
  }
  const idleTimeoutMs = options.idleTimeoutMs ?? IDLE_CONNECTION_TIMEOUT_MS;
  if ("keepAliveTimeout" in server) {
    // (headersTimeout, 60 s, counts from a request's first byte since Node 18, so it need not exceed this.)
    server.keepAliveTimeout = idleTimeoutMs;
  } else {
    // HTTP/2 sessions (closed with a GOAWAY) and the HTTP/1.1 connections it falls back to, which otherwise have
    // no limit at all: closed after this long without activity.
    server.setTimeout(idleTimeoutMs);
  }
  // Keep-alive connections and HTTP/2 sessions would otherwise hold close() open until they time out.
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  if (options.tls && options.log) logTlsRefusals(server as Http2SecureServer, served, options.log);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    store.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `${options.tls ? "https" : "http"}://${urlHost(address, options.host)}:${address.port}`,
    port: address.port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }).finally(() => store.close());
      return closing;
    },
  };
}

// A client that does not trust our certificate (unknown CA, another host name, expired) gives up during the
// handshake or right after it, before sending a request; say so, since the client's side is all the user sees.
function logTlsRefusals(server: Http2SecureServer, served: WeakSet<Socket>, log: (line: string) => void): void {
  const hint = "does the client trust this certificate, for this host name?";
  server.on("tlsClientError", (error: Error & { code?: string }) => {
    const reason = error.code === "ECONNRESET" ? `the client closed the connection (${hint})` : (error.code ?? error.message);
    log(`TLS handshake failed: ${reason}`);
  });
  server.on("secureConnection", (socket: Socket) => {
    socket.once("close", () => {
      if (!served.has(socket)) log(`TLS connection closed before any request (${hint})`);
    });
  });
}

/** Maps /api/… and the documented alias onto the service's canonical path. */
export function canonicalPath(url: string): string {
  if (url.startsWith(DOCUMENTED_ALIAS_PATH)) return SERVICE_PATH + url.slice(DOCUMENTED_ALIAS_PATH.length);
  if (url.startsWith(API_PREFIX)) return url.slice(API_PREFIX.length - 1);
  return url;
}

// The URL names the host as given when it is a name (a certificate names it); a wildcard listen address is not
// something to connect to, so the URL points at loopback instead.
function urlHost(address: AddressInfo, requested: string | undefined): string {
  if (requested !== undefined && requested !== "" && isIP(requested) === 0) return requested;
  if (address.address === "0.0.0.0") return "127.0.0.1";
  if (address.address === "::") return "[::1]";
  return address.family === "IPv6" ? `[${address.address}]` : address.address;
}
