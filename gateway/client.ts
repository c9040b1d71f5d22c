// The client for the agyn Gateway's UsersGateway over Connect (binary protobuf, HTTP/1.1 keep-alive). It
// speaks in records (records.ts), never in generated messages, and every failure surfaces as a redacted
// GatewayError that names the operation, the Connect code and the Gateway's message.
import * as http from "node:http";
import * as https from "node:https";
import { rootCertificates } from "node:tls";
import { Code, ConnectError, type Interceptor, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { UsersGateway } from "../gen/agynio/api/gateway/v1/users_gateway_pb";
import { toGatewayError } from "./gateway-failure";
import { canonicalGatewayUrl } from "./gateway-url";
import type { Instant } from "./instant";
import {
  apiTokenRecord,
  clusterRoleName,
  clusterRoleOf,
  directoryEntry,
  timestampOf,
  userRecord,
} from "./message-mapping";
import type { ApiTokenRecord, DirectoryEntry, MintedApiToken, NewUser, UserChanges, UserRecord, UserWithRole } from "./records";

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
  /** Removes secrets from the Gateway's messages (a server may echo a token); the caller owns the policy. */
  readonly redact: (text: string) => string;
}

/** Per-call options; `signal` cancels a read (Terraform's Stop). Writes take none: a sent create is never abandoned. */
export interface ReadOptions {
  readonly signal?: AbortSignal;
}

/** A page of ListUsers. */
export interface UserPage {
  readonly users: UserRecord[];
  /** Empty on the last page. */
  readonly nextPageToken: string;
}

export interface GatewayClient {
  readonly baseUrl: string;
  /** The caller; `user` is null for an identity without a user record (the platform's bootstrap admin). */
  getMe(options?: ReadOptions): Promise<{ user: UserRecord | null; clusterRole: UserWithRole["clusterRole"] }>;
  createApiToken(input: { name: string; expiresAt?: Instant }): Promise<MintedApiToken>;
  listApiTokens(options?: ReadOptions): Promise<ApiTokenRecord[]>;
  revokeApiToken(tokenId: string): Promise<void>;
  /** Null when the Gateway answers without a user. */
  getUser(identityId: string, options?: ReadOptions): Promise<UserWithRole | null>;
  /** The new user, or null when the Gateway's answer lacks it. */
  createUser(input: NewUser): Promise<UserRecord | null>;
  updateUser(identityId: string, changes: UserChanges): Promise<UserRecord | null>;
  deleteUser(identityId: string): Promise<void>;
  listUsers(page?: { pageSize?: number; pageToken?: string }, options?: ReadOptions): Promise<UserPage>;
  /** Follows next_page_token until the last page. */
  listAllUsers(pageSize?: number, options?: ReadOptions): Promise<UserRecord[]>;
  /** Users whose username starts with `prefix`; the Gateway returns at most 20. */
  searchUsers(prefix: string, limit: number, options?: ReadOptions): Promise<DirectoryEntry[]>;
  /** Users by identity id (unknown ids are left out; `oidcSubject` is always null). */
  batchGetUsers(identityIds: string[], options?: ReadOptions): Promise<UserRecord[]>;
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
  const baseUrl = canonicalGatewayUrl(options.baseUrl);
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
  const failure = { baseUrl, host: target.host, timeoutMs, redact: options.redact };

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
        throw toGatewayError(operation, error, failure);
      }
    }
  }

  const client: GatewayClient = {
    baseUrl,
    async getMe(opts) {
      const reply = await call("GetMe", () => rpc.getMe({}, { signal: opts?.signal }));
      return { user: userRecord(reply.user), clusterRole: clusterRoleName(reply.clusterRole) };
    },
    async createApiToken({ name, expiresAt }) {
      const reply = await call("CreateAPIToken", () =>
        rpc.createAPIToken({ name, expiresAt: expiresAt ? timestampOf(expiresAt) : undefined }));
      return { token: reply.token?.id ? apiTokenRecord(reply.token) : null, plaintext: reply.plaintextToken };
    },
    async listApiTokens(opts) {
      const reply = await call("ListAPITokens", () => rpc.listAPITokens({}, { signal: opts?.signal }));
      return reply.tokens.map(apiTokenRecord);
    },
    async revokeApiToken(tokenId) {
      await call("RevokeAPIToken", () => rpc.revokeAPIToken({ tokenId }));
    },
    async getUser(identityId, opts) {
      const reply = await call("GetUser", () => rpc.getUser({ identityId }, { signal: opts?.signal }));
      const user = userRecord(reply.user);
      return user ? { user, clusterRole: clusterRoleName(reply.clusterRole) } : null;
    },
    async createUser(input) {
      // cluster_role goes with CreateUser, so an admin-to-be is never briefly a plain user (or the reverse).
      const reply = await call("CreateUser", () => rpc.createUser({ ...input, clusterRole: clusterRoleOf(input.clusterRole ?? "none") }),
        RETRIED_USER_WRITE_CODES);
      return userRecord(reply.user);
    },
    // Safe to repeat: the same patch applied twice leaves the same user.
    async updateUser(identityId, changes) {
      const { clusterRole, ...text } = changes;
      const reply = await call("UpdateUser", () =>
        rpc.updateUser({ identityId, ...text, clusterRole: clusterRole === undefined ? undefined : clusterRoleOf(clusterRole) }),
        RETRIED_USER_WRITE_CODES);
      return userRecord(reply.user);
    },
    async deleteUser(identityId) {
      await call("DeleteUser", () => rpc.deleteUser({ identityId }), RETRIED_USER_WRITE_CODES);
    },
    async listUsers(page = {}, opts) {
      const reply = await call("ListUsers", () => rpc.listUsers(page, { signal: opts?.signal }));
      return { users: reply.users.map(userRecord).filter((u): u is UserRecord => u !== null), nextPageToken: reply.nextPageToken };
    },
    async searchUsers(prefix, limit, opts) {
      const reply = await call("SearchUsers", () => rpc.searchUsers({ prefix, limit }, { signal: opts?.signal }));
      return reply.users.map(directoryEntry);
    },
    async batchGetUsers(identityIds, opts) {
      const reply = await call("BatchGetUsers", () => rpc.batchGetUsers({ identityIds }, { signal: opts?.signal }));
      return reply.users.map(userRecord).filter((u): u is UserRecord => u !== null);
    },
    async listAllUsers(pageSize, opts) {
      const users: UserRecord[] = [];
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

function headersInterceptor(token: string | undefined, userAgent: string): Interceptor {
  return (next) => async (req) => {
    // `set` replaces the transport's default "connect-es/…" User-Agent.
    req.header.set("User-Agent", userAgent);
    if (token) req.header.set("Authorization", `Bearer ${token}`);
    return next(req);
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
