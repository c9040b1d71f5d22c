// The client for the agyn Gateway's UsersGateway over Connect (binary protobuf, HTTP/1.1 keep-alive). It
// speaks in records (records.ts), never in generated messages, and every failure surfaces as a redacted
// GatewayError that names the operation, the Connect code and the Gateway's message. Transient failures of
// calls that are safe to repeat are retried below the records, in retry-interceptor.ts.
import * as http from "node:http";
import * as https from "node:https";
import { type ContextValues, type Interceptor, createClient, createContextValues } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { UsersGateway } from "../gen/agynio/api/gateway/v1/users_gateway_pb";
import { clockInterceptor } from "./clock-interceptor";
import { GatewayClock } from "./gateway-clock";
import { toGatewayError } from "./gateway-failure";
import { canonicalGatewayUrl } from "./gateway-url";
import type { Instant } from "./instant";
import {
  apiTokenRecord,
  clusterRoleName,
  clusterRoleOf,
  directoryEntry,
  instantOf,
  timestampOf,
  userRecord,
} from "./message-mapping";
import type { ApiTokenRecord, CreatedUser, DirectoryEntry, MintedApiToken, NewUser, UserChanges, UserRecord, UserWithRole } from "./records";
import { type CallRecord, type RetryEvent, callContext, retryInterceptor } from "./retry-interceptor";
import { DEFAULT_MAX_RETRIES, DEFAULT_REQUEST_TIMEOUT_MS, type RetrySettings } from "./retry-policy";
import { type DeferredDefaultStore, trustedCertificates } from "./trusted-certificates";

export type { GatewayErrorCode } from "./error-codes";
export type { GatewayClock } from "./gateway-clock";
export type { RetryEvent } from "./retry-interceptor";
export type { RetrySettings } from "./retry-policy";
export { GatewayError } from "./gateway-error";

export interface GatewayClientOptions {
  /** Gateway base URL; may carry a path prefix (`https://host/api`). */
  readonly baseUrl: string;
  readonly token?: string;
  /** Extra trusted CA certificate(s), PEM; added to Node's bundled roots. */
  readonly caPem?: string;
  /** Set when the launcher started node without its default certificate store (see trusted-certificates.ts). */
  readonly deferredDefaultStore?: DeferredDefaultStore;
  readonly userAgent: string;
  /** How long one attempt may take (the provider's request_timeout). */
  readonly timeoutMs?: number;
  /** Attempts after the first for calls that are safe to repeat (the provider's max_retries). */
  readonly maxRetries?: number;
  /** Removes secrets from the Gateway's messages (a server may echo a token); the caller owns the policy. */
  readonly redact: (text: string) => string;
  /** Told before each retry, e.g. to log it. */
  readonly onRetry?: (event: RetryEvent) => void;
}

/** Per-call options; `signal` cancels a read (Terraform's Stop), in flight or between attempts. */
export interface ReadOptions {
  readonly signal?: AbortSignal;
}

/**
 * Per-call options of a write; `signal` (Terraform's Stop) cancels only the waits between attempts: an
 * attempt already sent is never abandoned, so its outcome is always known.
 */
export interface WriteOptions {
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
  /** The retry settings every call follows. */
  readonly retry: RetrySettings;
  /** The Gateway's clock, as its answers tell it. */
  readonly clock: GatewayClock;
  /** The caller; `user` is null for an identity without a user record (the platform's bootstrap admin). */
  getMe(options?: ReadOptions): Promise<{ user: UserRecord | null; clusterRole: UserWithRole["clusterRole"] }>;
  /**
   * One CreateAPIToken, repeated only when it certainly did nothing (token-minting.ts decides what to do
   * after any other failure).
   */
  createApiToken(input: { name: string; expiresAt?: Instant }, options?: WriteOptions): Promise<MintedApiToken>;
  listApiTokens(options?: ReadOptions): Promise<ApiTokenRecord[]>;
  /** The caller's token with this id, if it still exists: from ListAPITokens (the Gateway has no call for one token). */
  findApiToken(tokenId: string, options?: ReadOptions): Promise<ApiTokenRecord | undefined>;
  /** A token already gone after a lost first attempt counts as revoked. */
  revokeApiToken(tokenId: string, options?: WriteOptions): Promise<void>;
  /** Null when the Gateway answers without a user. */
  getUser(identityId: string, options?: ReadOptions): Promise<UserWithRole | null>;
  /** The new user, or null when the Gateway's answer lacks it. Repeated only when it certainly did nothing. */
  createUser(input: NewUser, options?: WriteOptions): Promise<UserRecord | null>;
  updateUser(identityId: string, changes: UserChanges, options?: WriteOptions): Promise<UserRecord | null>;
  /** A user already gone after a lost first attempt counts as deleted. */
  deleteUser(identityId: string, options?: WriteOptions): Promise<void>;
  listUsers(page?: { pageSize?: number; pageToken?: string }, options?: ReadOptions): Promise<UserPage>;
  /** Follows next_page_token until the last page. */
  listAllUsers(pageSize?: number, options?: ReadOptions): Promise<UserRecord[]>;
  /** Every user with this OIDC subject (at most one), with when the Gateway created it; needs a cluster admin. */
  usersWithOidcSubject(oidcSubject: string, options?: ReadOptions): Promise<CreatedUser[]>;
  /** Users whose username starts with `prefix`; the Gateway returns at most 20. */
  searchUsers(prefix: string, limit: number, options?: ReadOptions): Promise<DirectoryEntry[]>;
  /** Users by identity id (unknown ids are left out; `oidcSubject` is always null). */
  batchGetUsers(identityIds: string[], options?: ReadOptions): Promise<UserRecord[]>;
  /** Drops idle keep-alive connections. */
  close(): void;
}

export const DEFAULT_TIMEOUT_MS = DEFAULT_REQUEST_TIMEOUT_MS;

const LIST_USERS_PAGE_SIZE = 100;

export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const baseUrl = canonicalGatewayUrl(options.baseUrl);
  const target = new URL(baseUrl);
  const retry: RetrySettings = {
    requestTimeoutMs: options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
  };
  const clock = new GatewayClock();
  const agent =
    target.protocol === "https:"
      ? new https.Agent({ keepAlive: true, ca: trustedCertificates(options.caPem, options.deferredDefaultStore) })
      : new http.Agent({ keepAlive: true });
  const transport = createConnectTransport({
    baseUrl,
    httpVersion: "1.1",
    useBinaryFormat: true,
    nodeOptions: { agent },
    // No transport timeout: each attempt has its own and the whole call a deadline, kept by the retry interceptor.
    // Outermost first: headers once per call, retries around every attempt, the clock reads each answer.
    interceptors: [headersInterceptor(options.token, options.userAgent), retryInterceptor({ settings: retry, onRetry: options.onRetry }), clockInterceptor(clock)],
  });
  const rpc = createClient(UsersGateway, transport);
  const failure = { baseUrl, host: target.host, timeoutMs: retry.requestTimeoutMs, redact: options.redact };

  /** One call through the interceptors; `stop` is Terraform's Stop for the waits between a write's attempts. */
  async function call<T>(operation: string, invoke: (contextValues: ContextValues) => Promise<T>, stop?: AbortSignal): Promise<T> {
    const record: CallRecord = { attempts: 0, startedAt: Date.now() };
    try {
      return await invoke(callContext(stop, record, createContextValues()));
    } catch (error) {
      throw toGatewayError(operation, error, failure, { attempts: Math.max(1, record.attempts), elapsedMs: Date.now() - record.startedAt });
    }
  }

  const client: GatewayClient = {
    baseUrl,
    retry,
    clock,
    async getMe(opts) {
      const reply = await call("GetMe", (contextValues) => rpc.getMe({}, { signal: opts?.signal, contextValues }));
      return { user: userRecord(reply.user), clusterRole: clusterRoleName(reply.clusterRole) };
    },
    async createApiToken({ name, expiresAt }, opts) {
      const reply = await call("CreateAPIToken", (contextValues) =>
        rpc.createAPIToken({ name, expiresAt: expiresAt ? timestampOf(expiresAt) : undefined }, { contextValues }), opts?.signal);
      return { token: reply.token?.id ? apiTokenRecord(reply.token) : null, plaintext: reply.plaintextToken };
    },
    async listApiTokens(opts) {
      const reply = await call("ListAPITokens", (contextValues) => rpc.listAPITokens({}, { signal: opts?.signal, contextValues }));
      return reply.tokens.map(apiTokenRecord);
    },
    async findApiToken(tokenId, opts) {
      return (await client.listApiTokens(opts)).find((t) => t.id === tokenId);
    },
    async revokeApiToken(tokenId, opts) {
      await call("RevokeAPIToken", (contextValues) => rpc.revokeAPIToken({ tokenId }, { contextValues }), opts?.signal);
    },
    async getUser(identityId, opts) {
      const reply = await call("GetUser", (contextValues) => rpc.getUser({ identityId }, { signal: opts?.signal, contextValues }));
      const user = userRecord(reply.user);
      return user ? { user, clusterRole: clusterRoleName(reply.clusterRole) } : null;
    },
    async createUser(input, opts) {
      // cluster_role goes with CreateUser, so an admin-to-be is never briefly a plain user (or the reverse).
      const reply = await call("CreateUser", (contextValues) =>
        rpc.createUser({ ...input, clusterRole: clusterRoleOf(input.clusterRole ?? "none") }, { contextValues }), opts?.signal);
      return userRecord(reply.user);
    },
    // Safe to repeat: the same patch applied twice leaves the same user.
    async updateUser(identityId, changes, opts) {
      const { clusterRole, ...text } = changes;
      const reply = await call("UpdateUser", (contextValues) =>
        rpc.updateUser({ identityId, ...text, clusterRole: clusterRole === undefined ? undefined : clusterRoleOf(clusterRole) }, { contextValues }),
        opts?.signal);
      return userRecord(reply.user);
    },
    async deleteUser(identityId, opts) {
      await call("DeleteUser", (contextValues) => rpc.deleteUser({ identityId }, { contextValues }), opts?.signal);
    },
    async listUsers(page = {}, opts) {
      const reply = await call("ListUsers", (contextValues) => rpc.listUsers(page, { signal: opts?.signal, contextValues }));
      return { users: reply.users.map(userRecord).filter((u): u is UserRecord => u !== null), nextPageToken: reply.nextPageToken };
    },
    async usersWithOidcSubject(oidcSubject, opts) {
      const found: CreatedUser[] = [];
      let pageToken = "";
      do {
        const reply = await call("ListUsers", (contextValues) =>
          rpc.listUsers({ pageSize: LIST_USERS_PAGE_SIZE, pageToken }, { signal: opts?.signal, contextValues }));
        for (const message of reply.users) {
          const user = userRecord(message);
          if (user?.oidcSubject === oidcSubject) found.push({ user, createdAt: instantOf(message.meta?.createdAt) });
        }
        pageToken = reply.nextPageToken;
      } while (pageToken !== "");
      return found;
    },
    async searchUsers(prefix, limit, opts) {
      const reply = await call("SearchUsers", (contextValues) => rpc.searchUsers({ prefix, limit }, { signal: opts?.signal, contextValues }));
      return reply.users.map(directoryEntry);
    },
    async batchGetUsers(identityIds, opts) {
      const reply = await call("BatchGetUsers", (contextValues) => rpc.batchGetUsers({ identityIds }, { signal: opts?.signal, contextValues }));
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
