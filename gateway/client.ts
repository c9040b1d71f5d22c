// A thin client for the agyn Gateway's UsersGateway over Connect (binary protobuf, HTTP/1.1 keep-alive).
// Every failure surfaces as a GatewayError that names the operation, the Connect code and the Gateway's
// message, with anything token-shaped redacted.
import * as http from "node:http";
import * as https from "node:https";
import { rootCertificates } from "node:tls";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type Interceptor, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { UsersGateway } from "../gen/agynio/api/gateway/v1/users_gateway_pb";
import type {
  CreateAPITokenResponse,
  CreateUserRequestSchema,
  CreateUserResponse,
  GetMeResponse,
  GetUserResponse,
  ListAPITokensResponse,
  UserDirectoryEntry,
  ListUsersRequestSchema,
  ListUsersResponse,
  UpdateUserRequestSchema,
  UpdateUserResponse,
  User,
} from "../gen/agynio/api/users/v1/users_pb";
import { type GatewayErrorCode, gatewayErrorCode } from "./error-codes";
import { GatewayError } from "./gateway-error";
import { redactApiTokens } from "./token-format";
import { type CertificateErrorCause, type TlsRefusalKind, describeTlsRefusal } from "./tls-refusal";

export type { GatewayErrorCode } from "./error-codes";
export { GatewayError } from "./gateway-error";

export interface GatewayClientOptions {
  /** Gateway base URL; may carry a path prefix (`https://host/api`). */
  readonly baseUrl: string;
  readonly token?: string;
  /** Extra trusted CA certificate(s), PEM; added to Node's bundled roots. */
  readonly caPem?: string;
  readonly userAgent: string;
  readonly timeoutMs?: number;
}

export type CreateUserInput = MessageInitShape<typeof CreateUserRequestSchema>;
export type UpdateUserInput = MessageInitShape<typeof UpdateUserRequestSchema>;
export type ListUsersInput = MessageInitShape<typeof ListUsersRequestSchema>;

/** Per-call options; `signal` cancels a read (Terraform's Stop). Writes take none: a sent create is never abandoned. */
export interface ReadOptions {
  readonly signal?: AbortSignal;
}

export interface GatewayClient {
  readonly baseUrl: string;
  getMe(options?: ReadOptions): Promise<GetMeResponse>;
  createApiToken(input: { name: string; expiresAt?: Date }): Promise<CreateAPITokenResponse>;
  listApiTokens(options?: ReadOptions): Promise<ListAPITokensResponse>;
  revokeApiToken(tokenId: string): Promise<void>;
  getUser(identityId: string, options?: ReadOptions): Promise<GetUserResponse>;
  createUser(input: CreateUserInput): Promise<CreateUserResponse>;
  updateUser(input: UpdateUserInput): Promise<UpdateUserResponse>;
  deleteUser(identityId: string): Promise<void>;
  listUsers(input?: ListUsersInput, options?: ReadOptions): Promise<ListUsersResponse>;
  /** Follows next_page_token until the last page. */
  listAllUsers(pageSize?: number, options?: ReadOptions): Promise<User[]>;
  /** Users whose username starts with `prefix`; the Gateway returns at most 20. */
  searchUsers(prefix: string, limit: number, options?: ReadOptions): Promise<UserDirectoryEntry[]>;
  /** Users by identity id (unknown ids are left out; `oidc_subject` is always empty). */
  batchGetUsers(identityIds: string[], options?: ReadOptions): Promise<User[]>;
  /** Drops idle keep-alive connections. */
  close(): void;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

// Only user writes are retried, and only on "aborted" (a transaction lost a race). Unlike the Go provider,
// already_exists is not retried: a duplicate subject or username stays a duplicate, and the user should
// hear so at once rather than after four attempts.
const RETRIED_USER_WRITE_CODES = new Set<Code>([Code.Aborted]);
const USER_WRITE_ATTEMPTS = 4;
const USER_WRITE_BACKOFF_MS = 200;

export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const target = new URL(baseUrl);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const agent =
    target.protocol === "https:"
      ? new https.Agent({ keepAlive: true, ca: options.caPem ? [...rootCertificates, options.caPem] : undefined })
      : new http.Agent({ keepAlive: true });
  const transport = createConnectTransport({
    baseUrl,
    httpVersion: "1.1",
    useBinaryFormat: true,
    nodeOptions: { agent },
    defaultTimeoutMs: timeoutMs,
    interceptors: [headersInterceptor(options.token, options.userAgent)],
  });
  const rpc = createClient(UsersGateway, transport);

  const describe = (operation: string, error: unknown): GatewayError =>
    toGatewayError(operation, error, { baseUrl, host: target.host, timeoutMs, token: options.token });

  async function call<T>(operation: string, invoke: () => Promise<T>, retryOn?: ReadonlySet<Code>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await invoke();
      } catch (error) {
        const code = error instanceof ConnectError ? error.code : undefined;
        if (retryOn && code !== undefined && retryOn.has(code) && attempt < USER_WRITE_ATTEMPTS) {
          await sleep(USER_WRITE_BACKOFF_MS * attempt);
          continue;
        }
        throw describe(operation, error);
      }
    }
  }

  const client: GatewayClient = {
    baseUrl,
    getMe: (opts) => call("GetMe", () => rpc.getMe({}, { signal: opts?.signal })),
    createApiToken: ({ name, expiresAt }) =>
      call("CreateAPIToken", () =>
        rpc.createAPIToken({ name, expiresAt: expiresAt ? timestampFromDate(expiresAt) : undefined }),
      ),
    listApiTokens: (opts) => call("ListAPITokens", () => rpc.listAPITokens({}, { signal: opts?.signal })),
    revokeApiToken: async (tokenId) => {
      await call("RevokeAPIToken", () => rpc.revokeAPIToken({ tokenId }));
    },
    getUser: (identityId, opts) => call("GetUser", () => rpc.getUser({ identityId }, { signal: opts?.signal })),
    createUser: (input) => call("CreateUser", () => rpc.createUser(input), RETRIED_USER_WRITE_CODES),
    // Safe to repeat: the same patch applied twice leaves the same user.
    updateUser: (input) => call("UpdateUser", () => rpc.updateUser(input), RETRIED_USER_WRITE_CODES),
    deleteUser: async (identityId) => {
      await call("DeleteUser", () => rpc.deleteUser({ identityId }), RETRIED_USER_WRITE_CODES);
    },
    listUsers: (input = {}, opts) => call("ListUsers", () => rpc.listUsers(input, { signal: opts?.signal })),
    async searchUsers(prefix, limit, opts) {
      const reply = await call("SearchUsers", () => rpc.searchUsers({ prefix, limit }, { signal: opts?.signal }));
      return reply.users;
    },
    async batchGetUsers(identityIds, opts) {
      const reply = await call("BatchGetUsers", () => rpc.batchGetUsers({ identityIds }, { signal: opts?.signal }));
      return reply.users;
    },
    async listAllUsers(pageSize, opts) {
      const users: User[] = [];
      let pageToken = "";
      do {
        const page = await client.listUsers({ pageSize, pageToken }, opts);
        users.push(...page.users);
        pageToken = page.nextPageToken;
      } while (pageToken !== "");
      return users;
    },
    close: () => agent.destroy(),
  };
  return client;
}

function normalizeBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`gateway URL is not a valid URL: ${JSON.stringify(redactApiTokens(raw))}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`gateway URL must start with http:// or https://, got ${JSON.stringify(url.protocol)}`);
  }
  if (url.search !== "" || url.hash !== "") {
    throw new Error("gateway URL must not carry a query string or fragment");
  }
  // Connect appends "/<service>/<method>" to the base; a trailing slash would double it.
  return url.toString().replace(/\/+$/, "");
}

function headersInterceptor(token: string | undefined, userAgent: string): Interceptor {
  return (next) => async (req) => {
    // `set` replaces the transport's default "connect-es/…" User-Agent.
    req.header.set("User-Agent", userAgent);
    if (token) req.header.set("Authorization", `Bearer ${token}`);
    return next(req);
  };
}

// What connect-es reports when its own deadline (timeoutMs) fires.
const CLIENT_TIMEOUT_MESSAGE = "the operation timed out";

interface FailureContext {
  readonly baseUrl: string;
  readonly host: string;
  readonly timeoutMs: number;
  readonly token?: string;
}

export function toGatewayError(operation: string, error: unknown, context: FailureContext): GatewayError {
  const connectError = ConnectError.from(error);
  const network = networkFailure(connectError, context);
  const code = network?.code ?? gatewayErrorCode(connectError.code);
  let message = network?.message ?? connectError.rawMessage;
  if (!network && connectError.code === Code.DeadlineExceeded && message === CLIENT_TIMEOUT_MESSAGE) {
    message = `no response from ${context.host} within ${context.timeoutMs} ms`;
  } else if (!network && /^HTTP \d{3}/.test(message) && connectError.code === Code.Unimplemented) {
    // Not a Connect error body: something other than the Gateway answered at this path.
    message = `${message} (no agyn Gateway API at ${context.baseUrl}; check the gateway URL)`;
  }
  return new GatewayError(operation, code, redact(message, context.token), network?.tlsRefusal);
}

interface NodeSystemError {
  message: string;
  code?: string;
  address?: string;
  port?: number;
  hostname?: string;
}

/**
 * Transport failures, described for a person: the code is "unavailable" (like gRPC's transport errors)
 * and the message says what happened on the wire instead of Node's bare errno.
 */
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

// Duck-typed rather than `instanceof Error`: Node's own errors come from another realm under test
// runners that sandbox globals (jest), and connect-node then leaves them unclassified.
function causeChain(error: unknown): object[] {
  const chain: object[] = [];
  for (let e: unknown = error; typeof e === "object" && e !== null && !chain.includes(e); e = (e as { cause?: unknown }).cause) {
    chain.push(e);
  }
  return chain;
}

function redact(message: string, token: string | undefined): string {
  let result = redactApiTokens(message);
  // A configured token that is not agyn-shaped (e.g. a bootstrap token) is still a secret.
  if (token && token.length >= 8) result = result.split(token).join("…");
  return result;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
