// The Gateway's authentication chain and role checks. A configured bootstrap token is compared first
// (in constant time); anything else is treated as an API token, hashed and resolved. Unknown, revoked
// and expired tokens are indistinguishable on purpose: unauthenticated "invalid api token".
import { createHash, timingSafeEqual } from "node:crypto";
import { Code, ConnectError, type ContextValues, type HandlerContext, createContextKey } from "@connectrpc/connect";
import type { GatewayStore, UserRecord } from "./store";

export type Caller =
  | { readonly kind: "anonymous" }
  /** The platform's bootstrap cluster admin: no user record, so no GetMe and no tokens of its own. */
  | { readonly kind: "bootstrap" }
  | { readonly kind: "user"; readonly user: UserRecord; readonly tokenId: string };

export const callerKey = createContextKey<Caller>({ kind: "anonymous" }, { description: "authenticated caller" });

export const INVALID_API_TOKEN = "invalid api token";

export type BearerCredential =
  | { readonly kind: "none" }
  | { readonly kind: "bearer"; readonly token: string }
  | { readonly kind: "malformed" };

/** `Authorization: Bearer <token>`: scheme case-insensitive, exactly one token. */
export function parseAuthorization(header: string | null | undefined): BearerCredential {
  if (header === null || header === undefined || header.trim() === "") return { kind: "none" };
  const parts = header.trim().split(/\s+/);
  if (parts.length !== 2 || parts[0].toLowerCase() !== "bearer") return { kind: "malformed" };
  return { kind: "bearer", token: parts[1] };
}

/** Shorter bootstrap tokens are refused: this one token may manage every user. */
export const BOOTSTRAP_TOKEN_MIN_LENGTH = 16;

/**
 * Why `token` cannot serve as the bootstrap admin token, or undefined when it can. The reason never
 * quotes the token, so it is safe to print.
 */
export function bootstrapTokenProblem(token: string): string | undefined {
  if (token.length < BOOTSTRAP_TOKEN_MIN_LENGTH) return `must be at least ${BOOTSTRAP_TOKEN_MIN_LENGTH} characters`;
  // A bearer credential is one word; a token with whitespace could never be presented.
  if (/\s/.test(token)) return "must not contain whitespace";
  // agyn_ marks a user's API token; a bootstrap token shaped like one is a pasted user token or a mix-up.
  if (token.startsWith("agyn_")) {
    return "must not start with agyn_ (that marks a user's API token); use a random string, e.g. from `openssl rand -hex 32`";
  }
  return undefined;
}

export interface AuthOptions {
  readonly bootstrapToken?: string;
}

export function resolveCaller(store: GatewayStore, authorization: string | null, options: AuthOptions = {}): Caller {
  const credential = parseAuthorization(authorization);
  if (credential.kind === "none") return { kind: "anonymous" };
  if (credential.kind === "malformed") {
    throw new ConnectError("invalid authorization header", Code.Unauthenticated);
  }
  if (options.bootstrapToken && constantTimeEquals(credential.token, options.bootstrapToken)) {
    return { kind: "bootstrap" };
  }
  const resolved = store.authenticateApiToken(credential.token);
  if (!resolved) throw new ConnectError(INVALID_API_TOKEN, Code.Unauthenticated);
  return { kind: "user", user: resolved.user, tokenId: resolved.token.id };
}

/**
 * Authenticates a call from its headers alone, before its body is read, and hands the caller to the handler
 * via context values. Every UsersGateway method needs a caller, so an anonymous call is refused here too, with
 * the message the handlers would give it.
 */
export function admitCaller(store: GatewayStore, options: AuthOptions = {}): (header: Headers, values: ContextValues) => void {
  return (header, values) => {
    const caller = resolveCaller(store, header.get("authorization"), options);
    if (caller.kind === "anonymous") throw authenticationRequired();
    values.set(callerKey, caller);
  };
}

/**
 * A caller with a user record (an API token holder). The bootstrap identity has none, so the methods about
 * "me" and my tokens refuse it with permission_denied: it is authenticated, but not as anyone those
 * methods could act for, and retrying with the same token can never succeed.
 */
export function requireUser(ctx: HandlerContext): UserRecord {
  const caller = requireAuthenticated(ctx);
  if (caller.kind === "bootstrap") {
    throw new ConnectError(
      `the bootstrap admin token has no user record; ${ctx.method.name} needs a user's API token (agyn-local-gateway mint-token makes one)`,
      Code.PermissionDenied,
    );
  }
  return caller.user;
}

export function requireAuthenticated(ctx: HandlerContext): Exclude<Caller, { kind: "anonymous" }> {
  const caller = ctx.values.get(callerKey);
  if (caller.kind === "anonymous") throw authenticationRequired();
  return caller;
}

function authenticationRequired(): ConnectError {
  return new ConnectError("authentication required", Code.Unauthenticated);
}

export function requireClusterAdmin(ctx: HandlerContext): void {
  const caller = requireAuthenticated(ctx);
  if (caller.kind === "bootstrap" || caller.user.clusterAdmin) return;
  throw new ConnectError("cluster admin required", Code.PermissionDenied);
}

// Hashing both sides gives equal-length inputs, so timingSafeEqual never throws and leaks no length.
function constantTimeEquals(presented: string, expected: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
