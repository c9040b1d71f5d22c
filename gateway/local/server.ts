// The local Gateway's HTTP server: one Connect handler (Connect JSON/binary, gRPC, gRPC-Web) reachable
// at the root, under /api/ (like behind the web UI's host) and at the path the product docs show.
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ConnectError, type Interceptor } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { UsersGateway } from "../../gen/agynio/api/gateway/v1/users_gateway_pb";
import { gatewayErrorCode } from "../error-codes";
import { authInterceptor, bootstrapTokenProblem } from "./auth";
import { GatewayStore } from "./store";
import { createUsersGatewayService } from "./users-gateway-service";

export interface LocalGatewayOptions {
  readonly dbPath: string;
  readonly host?: string;
  /** 0 picks any free port. */
  readonly port?: number;
  /**
   * A platform bootstrap (cluster admin) token, like the real Gateway's; optional. It may manage users
   * but has no user record. Refused when bootstrapTokenProblem() objects to it.
   */
  readonly bootstrapToken?: string;
  /** One line per call (method, code, duration, User-Agent as the client sent it: the sink redacts). */
  readonly log?: (line: string) => void;
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

export async function startLocalGateway(options: LocalGatewayOptions): Promise<LocalGateway> {
  const problem = options.bootstrapToken === undefined ? undefined : bootstrapTokenProblem(options.bootstrapToken);
  if (problem) throw new Error(`the bootstrap admin token ${problem}`);
  const store = GatewayStore.open(options.dbPath);
  const interceptors: Interceptor[] = [];
  if (options.log) interceptors.push(callLogInterceptor(options.log));
  interceptors.push(authInterceptor(store, { bootstrapToken: options.bootstrapToken }));
  const handle = connectNodeAdapter({
    routes: (router) => router.service(UsersGateway, createUsersGatewayService(store)),
    interceptors,
  });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.url = canonicalPath(req.url ?? "/");
    handle(req, res);
  });
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
    url: `http://${urlHost(address)}:${address.port}`,
    port: address.port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections would otherwise hold close() open until they time out.
        server.closeAllConnections();
      }).finally(() => store.close());
      return closing;
    },
  };
}

/** Maps /api/… and the documented alias onto the service's canonical path. */
export function canonicalPath(url: string): string {
  if (url.startsWith(DOCUMENTED_ALIAS_PATH)) return SERVICE_PATH + url.slice(DOCUMENTED_ALIAS_PATH.length);
  if (url.startsWith(API_PREFIX)) return url.slice(API_PREFIX.length - 1);
  return url;
}

// A wildcard listen address is not something to connect to; point the URL at loopback instead.
function urlHost(address: AddressInfo): string {
  if (address.address === "0.0.0.0") return "127.0.0.1";
  if (address.address === "::") return "[::1]";
  return address.family === "IPv6" ? `[${address.address}]` : address.address;
}

function callLogInterceptor(log: (line: string) => void): Interceptor {
  return (next) => async (req) => {
    const started = performance.now();
    const userAgent = JSON.stringify(req.header.get("user-agent") ?? "");
    const done = (code: string) =>
      log(`${req.method.name} ${code} ${Math.round(performance.now() - started)}ms user-agent=${userAgent}`);
    try {
      const res = await next(req);
      done("ok");
      return res;
    } catch (error) {
      done(gatewayErrorCode(ConnectError.from(error).code));
      throw error;
    }
  };
}
