// How data "agyn_user" finds a user on the Gateway. Admin-only calls are tried first and permission_denied
// falls back to what every user may call: asking "am I an admin?" would need GetMe, which the platform's
// bootstrap identity (a cluster admin without a user record) cannot call.
import type { GatewayClient, GatewayErrorCode, ReadOptions } from "../../gateway/client";
import { GatewayError } from "../../gateway/gateway-error";
import { isUuid } from "../../gateway/identifiers";
import type { ClusterRoleName, DirectoryEntry, UserRecord } from "../../gateway/records";
import { DiagnosticError, error, quoted } from "../../schema/diagnostics";
import { callGateway, gatewayDiagnostic } from "../gateway-calls/gateway-diagnostics";
import { shorterPrefix, similarUsernames } from "./similar-usernames";

export type LookupArgument = "identity_id" | "username" | "oidc_subject";

export type UserQuery = { readonly by: "caller" } | { readonly by: LookupArgument; readonly value: string };

/** A user as far as the caller may see it: null where the Gateway has no value or does not tell this caller. */
export interface FoundUser {
  readonly identityId: string;
  readonly oidcSubject: string | null;
  readonly name: string | null;
  readonly email: string | null;
  readonly username: string | null;
  readonly photoUrl: string | null;
  readonly clusterRole: ClusterRoleName | null;
}

/** SearchUsers returns no more than this; a full page may leave the exact match out. */
export const SEARCH_LIMIT = 20;
/** ListUsers' largest page: the fewest round trips for a scan. */
const LIST_PAGE_SIZE = 100;

/** Finds the user; every failure is a DiagnosticError naming what was looked up. */
export async function lookupUser(gateway: GatewayClient, query: UserQuery, signal: AbortSignal): Promise<FoundUser> {
  const options: ReadOptions = { signal };
  switch (query.by) {
    case "caller":
      return caller(gateway, options);
    case "identity_id":
      return byIdentityId(gateway, query.value, options);
    case "username":
      return byUsername(gateway, query.value, options);
    case "oidc_subject":
      return byOidcSubject(gateway, query.value, options);
  }
}

async function caller(gateway: GatewayClient, options: ReadOptions): Promise<FoundUser> {
  // GetMe needs only authentication, so a refusal means the caller has no user record: the bootstrap
  // identity. The local Gateway says permission_denied; another Gateway may say not_found or answer empty.
  const me = await expecting(["not_found", "permission_denied"], "reading the current user", () => gateway.getMe(options));
  const detail = me instanceof GatewayError ? me.message : "GetMe succeeded without a user record.";
  if (me instanceof GatewayError || !me.user) {
    throw new DiagnosticError(error("The provider's identity has no agyn user",
      `${detail}\n\nThe platform's bootstrap (cluster-admin) token has no user, so there is no caller to read. ` +
        "Set identity_id, username or oidc_subject to read a specific user, or configure a user's API token."));
  }
  return fullyVisible(me.user, me.clusterRole);
}

async function byIdentityId(gateway: GatewayClient, identityId: string, options: ReadOptions): Promise<FoundUser> {
  if (!isUuid(identityId)) {
    throw new DiagnosticError(error("Invalid identity_id", `${quoted(identityId)} is not an identity id: expected a UUID.`, [{ attr: "identity_id" }]));
  }
  return fullRecord(gateway, identityId, options, () => notFound("identity_id", identityId));
}

async function byUsername(gateway: GatewayClient, username: string, options: ReadOptions): Promise<FoundUser> {
  const missing = () => notFound("username", username);
  const matches = await callGateway(`searching users for ${quoted(username)}`, () => gateway.searchUsers(username, SEARCH_LIMIT, options));
  const exact = matches.find((entry) => entry.username === username);
  if (exact) return fullRecord(gateway, exact.identityId, options, missing);
  if (matches.length < SEARCH_LIMIT) throw await noSuchUsername(gateway, username, matches, options);

  // A full page: the exact username may be among the matches SearchUsers left out. Only a scan can tell.
  const all = await expecting(["permission_denied"], "listing users", () => gateway.listAllUsers(LIST_PAGE_SIZE, options));
  if (all instanceof GatewayError) {
    throw new DiagnosticError(error(`Cannot resolve username ${quoted(username)}`,
      `SearchUsers returned its maximum of ${SEARCH_LIMIT} matches for ${quoted(username)}, and none of them is ${quoted(username)} exactly. ` +
        `Finding it among the rest needs a scan of all users, and listing all users needs a cluster admin (${all.message}).\n\n` +
        "Look the user up by identity_id instead, or use a cluster admin's token.",
      [{ attr: "username" }]));
  }
  const user = all.find((u) => u.username === username);
  if (!user) throw notFound("username", username, similarUsernames(username, all));
  return fullRecord(gateway, user.identityId, options, missing);
}

/**
 * Not found, naming similar usernames the caller can see: those SearchUsers found for the whole username, or
 * if none, for a shorter prefix. Suggestions are a courtesy: if that search fails, the error goes without.
 */
async function noSuchUsername(gateway: GatewayClient, username: string, matches: readonly DirectoryEntry[], options: ReadOptions): Promise<DiagnosticError> {
  let candidates = matches;
  const prefix = shorterPrefix(username);
  if (candidates.length === 0 && prefix !== undefined) {
    candidates = await gateway.searchUsers(prefix, SEARCH_LIMIT, options).catch((err: unknown) => {
      if (err instanceof GatewayError) return [];
      throw err;
    });
  }
  return notFound("username", username, similarUsernames(username, candidates));
}

async function byOidcSubject(gateway: GatewayClient, subject: string, options: ReadOptions): Promise<FoundUser> {
  const all = await expecting(["permission_denied"], "listing users", () => gateway.listAllUsers(LIST_PAGE_SIZE, options));
  if (all instanceof GatewayError) {
    throw new DiagnosticError(error("Looking up a user by oidc_subject needs a cluster admin",
      "The Gateway has no lookup by OIDC subject and shows other users' subjects only to cluster admins, so the provider " +
        `scans all users, which needs a cluster admin (${all.message}).\n\n` +
        "Look the user up by username or identity_id instead, or use a cluster admin's token.",
      [{ attr: "oidc_subject" }]));
  }
  const user = all.find((u) => u.oidcSubject === subject);
  if (!user) throw notFound("oidc_subject", subject);
  // ListUsers carries no cluster role; GetUser does.
  return fullRecord(gateway, user.identityId, options, () => notFound("oidc_subject", subject));
}

/** GetUser for a cluster admin; for anyone else BatchGetUsers, which shares neither subject nor role. */
async function fullRecord(gateway: GatewayClient, identityId: string, options: ReadOptions, missing: () => DiagnosticError): Promise<FoundUser> {
  const doing = `reading user ${identityId}`;
  const got = await expecting(["permission_denied", "not_found"], doing, () => gateway.getUser(identityId, options));
  if (!(got instanceof GatewayError)) {
    if (!got) throw missing();
    return fullyVisible(got.user, got.clusterRole);
  }
  if (got.code === "not_found") throw missing();
  const users = await callGateway(doing, () => gateway.batchGetUsers([identityId], options));
  // BatchGetUsers leaves unknown ids out instead of failing.
  const user = users.find((u) => u.identityId === identityId.toLowerCase());
  if (!user) throw missing();
  return { ...common(user), oidcSubject: null, clusterRole: null };
}

function fullyVisible(user: UserRecord, role: ClusterRoleName): FoundUser {
  return { ...common(user), oidcSubject: user.oidcSubject, clusterRole: role };
}

function common(user: UserRecord) {
  return { identityId: user.identityId, name: user.name, email: user.email, username: user.username, photoUrl: user.photoUrl };
}

function notFound(argument: LookupArgument, value: string, similar: readonly string[] = []): DiagnosticError {
  const suggestion = similar.length > 0 ? ` Similar usernames you can see: ${similar.join(", ")}.` : "";
  return new DiagnosticError(error(`No agyn user with ${argument} ${quoted(value)}`,
    `The Gateway has no user whose ${argument} is exactly ${quoted(value)}.${suggestion}`, [{ attr: argument }]));
}

/**
 * Runs one Gateway call. A GatewayError whose code is listed comes back as the result, for the caller to
 * decide on; any other becomes a diagnostic that names the operation.
 */
async function expecting<T>(codes: readonly GatewayErrorCode[], doing: string, call: () => Promise<T>): Promise<T | GatewayError> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof GatewayError && codes.includes(err.code)) return err;
    if (err instanceof GatewayError) throw new DiagnosticError(gatewayDiagnostic(err, doing));
    throw err;
  }
}
