// The agynio.api.gateway.v1.UsersGateway implementation of the local Gateway, following the users
// service's documented behaviour (validation order, messages, codes).
import { type MessageInitShape, type UnknownField, create, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import { type UsersGateway } from "../../gen/agynio/api/gateway/v1/users_gateway_pb";
import {
  type APIToken,
  APITokenSchema,
  ClusterRole,
  type GetMeResponse,
  GetMeResponseSchema,
  ListAPITokensResponseSchema,
  type UserSchema,
} from "../../gen/agynio/api/users/v1/users_pb";
import { requireAuthenticated, requireClusterAdmin, requireUser } from "./auth";
import { answersInBinary, encodedFields, encodedMessageField, encodedTimestampField, joinedFields, messageOfEncodedFields } from "./encoded-answers";
import { checkTextLength } from "./limits";
import { microsFromTimestamp, timestampFromMicros } from "./microseconds";
import { type ApiTokenRecord, type GatewayStore, UniqueConflictError, type UserPatch, type UserRecord, storedApiToken } from "./store";
import { USERNAME_MAX_LENGTH, USERNAME_PATTERN, isUuid, isValidUsername } from "../identifiers";

const LIST_USERS_DEFAULT_PAGE_SIZE = 50;
const LIST_USERS_MAX_PAGE_SIZE = 100;
const SEARCH_USERS_DEFAULT_LIMIT = 10;
const SEARCH_USERS_MAX_LIMIT = 20;
const BATCH_GET_USERS_MAX_IDS = 100;

type UsersGatewayImpl = ServiceImpl<typeof UsersGateway>;

// The answers the hot reads give are built once per record and reused: records are immutable, and the store hands
// out the same record until the database changes (read-cache.ts) or, for a token, until its last_used_at moves. A
// revoked token or a changed user comes back as a new record, so nothing built from the old one is served again.
// For binary callers the answers' bytes are kept too (encoded-answers.ts).
const getMeAnswers = new WeakMap<UserRecord, GetMeResponse>();
const encodedGetMeAnswers = new WeakMap<UserRecord, readonly UnknownField[]>();
const tokenMessages = new WeakMap<ApiTokenRecord, APIToken>();
/** A token as ListAPITokensResponse's `tokens` field encodes it (tag, length, message). */
const encodedTokenEntries = new WeakMap<ApiTokenRecord, UnknownField>();
/**
 * A token's encoded fields but last_used_at, by the record as stored. The caller's own token is stamped by the very
 * call that lists it, so its last_used_at (and only that: tokens are never updated) is new on every ListAPITokens;
 * encoding the whole token again for it was a tenth of the call's CPU. last_used_at is APIToken's highest-numbered
 * field, which toBinary writes last, so the stamp alone is encoded per call and appended.
 */
const tokenFieldsButLastUse = new WeakMap<ApiTokenRecord, Uint8Array>();
const LAST_USE_IS_LAST_FIELD = APITokenSchema.fields.every((field) => field.number <= APITokenSchema.field.lastUsedAt.number);
const TOKENS_FIELD_NUMBER = ListAPITokensResponseSchema.field.tokens.number;

export function createUsersGatewayService(store: GatewayStore): UsersGatewayImpl {
  return {
    getMe(_req, ctx) {
      const user = requireUser(ctx);
      let answer = getMeAnswers.get(user);
      if (!answer) {
        answer = create(GetMeResponseSchema, { user: userMessage(user), clusterRole: clusterRoleOf(user) });
        getMeAnswers.set(user, answer);
      }
      if (!answersInBinary(ctx)) return answer;
      let encoded = encodedGetMeAnswers.get(user);
      if (!encoded) {
        encoded = encodedFields(GetMeResponseSchema, answer);
        encodedGetMeAnswers.set(user, encoded);
      }
      return messageOfEncodedFields(GetMeResponseSchema, [...encoded]);
    },

    updateMe(req, ctx) {
      const me = requireUser(ctx);
      if (req.name === undefined && req.username === undefined) {
        throw invalidArgument("at least one field must be provided");
      }
      checkTextLength("name", req.name);
      if (req.username !== undefined) checkUsername(req.username);
      const user = withConflicts(() => store.updateUser(me.id, { name: req.name, username: req.username }));
      if (!user) throw userNotFound();
      return { user: userMessage(user), clusterRole: clusterRoleOf(user) };
    },

    searchUsers(req, ctx) {
      requireAuthenticated(ctx);
      if (req.limit < 0) throw invalidArgument("limit must not be negative");
      checkTextLength("prefix", req.prefix);
      const limit = Math.min(req.limit || SEARCH_USERS_DEFAULT_LIMIT, SEARCH_USERS_MAX_LIMIT);
      const users = store.searchUsers(req.prefix, limit).map((user) => ({
        identityId: user.id,
        username: user.username,
        name: user.name,
        photoUrl: user.photoUrl,
      }));
      return { users };
    },

    createUser(req, ctx) {
      requireClusterAdmin(ctx);
      if (req.oidcSubject === "") throw invalidArgument("oidc_subject must be provided");
      checkTextLength("oidc_subject", req.oidcSubject);
      checkTextLength("name", req.name);
      checkTextLength("nickname", req.nickname);
      checkTextLength("photo_url", req.photoUrl);
      if (req.username !== undefined) checkUsername(req.username);
      const clusterAdmin = clusterAdminFrom(req.clusterRole);
      const user = withConflicts(() =>
        store.createUser({
          oidcSubject: req.oidcSubject,
          name: req.name,
          nickname: req.nickname,
          photoUrl: req.photoUrl,
          username: req.username,
          clusterAdmin,
        }),
      );
      return { user: userMessage(user) };
    },

    getUser(req, ctx) {
      requireClusterAdmin(ctx);
      const user = store.getUser(identityId(req.identityId, "identity_id"));
      if (!user) throw userNotFound();
      return { user: userMessage(user), clusterRole: clusterRoleOf(user) };
    },

    listUsers(req, ctx) {
      requireClusterAdmin(ctx);
      if (req.pageSize < 0) throw invalidArgument("page_size must not be negative");
      const pageSize = Math.min(req.pageSize || LIST_USERS_DEFAULT_PAGE_SIZE, LIST_USERS_MAX_PAGE_SIZE);
      const afterId = req.pageToken === "" ? undefined : decodePageToken(req.pageToken);
      // One extra row tells whether another page exists.
      const rows = store.listUsers(afterId, pageSize + 1);
      const page = rows.slice(0, pageSize);
      return {
        users: page.map(userMessage),
        nextPageToken: rows.length > pageSize ? encodePageToken(page[page.length - 1].id) : "",
      };
    },

    updateUser(req, ctx) {
      requireClusterAdmin(ctx);
      const id = identityId(req.identityId, "identity_id");
      const patch: UserPatch = {
        name: req.name,
        email: req.email,
        photoUrl: req.photoUrl,
        nickname: req.nickname,
        username: req.username,
        clusterAdmin: req.clusterRole === undefined ? undefined : clusterAdminFrom(req.clusterRole),
      };
      if (Object.values(patch).every((value) => value === undefined)) {
        throw invalidArgument("at least one field must be provided");
      }
      checkTextLength("name", req.name);
      checkTextLength("email", req.email);
      checkTextLength("photo_url", req.photoUrl);
      checkTextLength("nickname", req.nickname);
      if (req.username !== undefined) checkUsername(req.username);
      const user = withConflicts(() => store.updateUser(id, patch));
      if (!user) throw userNotFound();
      return { user: userMessage(user) };
    },

    deleteUser(req, ctx) {
      requireClusterAdmin(ctx);
      if (!store.deleteUser(identityId(req.identityId, "identity_id"))) throw userNotFound();
      return {};
    },

    batchGetUsers(req, ctx) {
      requireAuthenticated(ctx);
      if (req.identityIds.length > BATCH_GET_USERS_MAX_IDS) {
        throw invalidArgument(`at most ${BATCH_GET_USERS_MAX_IDS} identity_ids may be requested`);
      }
      // Like the users service's `= ANY(ids)`: each user once, by id, however often it was asked for.
      const users = store.getUsers(req.identityIds.map((raw) => identityId(raw, "identity_ids")));
      // Other users' OIDC subjects are not shared.
      return { users: users.map((user) => ({ ...userMessage(user), oidcSubject: "" })) };
    },

    createAPIToken(req, ctx) {
      const me = requireUser(ctx);
      if (req.name === "") throw invalidArgument("name must be provided");
      checkTextLength("name", req.name);
      let expiresAt: bigint | undefined;
      if (req.expiresAt) {
        expiresAt = microsFromTimestamp(req.expiresAt);
        if (expiresAt === undefined) throw invalidArgument("expires_at is out of range");
        if (expiresAt <= store.now()) throw invalidArgument("expires_at must be in the future");
      }
      const { token, plaintext } = store.createApiToken(me.id, req.name, expiresAt);
      return { token: tokenMessage(token), plaintextToken: plaintext };
    },

    listAPITokens(_req, ctx) {
      const me = requireUser(ctx);
      // A user caller was authenticated by its API token for this very call (auth.ts).
      const tokens = store.listApiTokens(me.id, { authenticated: true });
      if (!answersInBinary(ctx)) return { tokens: tokens.map(rememberedTokenMessage) };
      return messageOfEncodedFields(ListAPITokensResponseSchema, joinedFields(tokens.map(encodedTokenEntry)));
    },

    revokeAPIToken(req, ctx) {
      const me = requireUser(ctx);
      if (!isUuid(req.tokenId)) throw invalidArgument("token_id must be a valid UUID");
      if (!store.deleteApiToken(req.tokenId.toLowerCase(), me.id)) {
        throw new ConnectError("api token not found", Code.NotFound);
      }
      return {};
    },
  };
}

function userMessage(user: UserRecord): MessageInitShape<typeof UserSchema> {
  return {
    meta: { id: user.id, createdAt: timestampFromMicros(user.createdAt), updatedAt: timestampFromMicros(user.updatedAt) },
    oidcSubject: user.oidcSubject,
    name: user.name,
    email: user.email,
    photoUrl: user.photoUrl,
    nickname: user.nickname,
    username: user.username,
  };
}

function tokenMessage(token: ApiTokenRecord): MessageInitShape<typeof APITokenSchema> {
  return {
    id: token.id,
    identityId: token.identityId,
    name: token.name,
    tokenPrefix: token.tokenPrefix,
    expiresAt: token.expiresAt === undefined ? undefined : timestampFromMicros(token.expiresAt),
    createdAt: timestampFromMicros(token.createdAt),
    lastUsedAt: token.lastUsedAt === undefined ? undefined : timestampFromMicros(token.lastUsedAt),
  };
}

function rememberedTokenMessage(token: ApiTokenRecord): APIToken {
  let message = tokenMessages.get(token);
  if (!message) {
    message = create(APITokenSchema, tokenMessage(token));
    tokenMessages.set(token, message);
  }
  return message;
}

function encodedTokenEntry(token: ApiTokenRecord): UnknownField {
  let entry = encodedTokenEntries.get(token);
  if (entry) return entry;
  const stored = storedApiToken(token);
  if (stored === token || !LAST_USE_IS_LAST_FIELD) {
    [entry] = encodedFields(ListAPITokensResponseSchema, create(ListAPITokensResponseSchema, { tokens: [rememberedTokenMessage(token)] }));
    encodedTokenEntries.set(token, entry);
    return entry;
  }
  // A waiting stamp laid over the stored record: a record made for this one call, not worth remembering.
  let leading = tokenFieldsButLastUse.get(stored);
  if (!leading) {
    leading = toBinary(APITokenSchema, create(APITokenSchema, { ...tokenMessage(stored), lastUsedAt: undefined }));
    tokenFieldsButLastUse.set(stored, leading);
  }
  if (token.lastUsedAt === undefined) return encodedMessageField(TOKENS_FIELD_NUMBER, [leading]);
  const lastUse = encodedTimestampField(APITokenSchema.field.lastUsedAt.number, timestampFromMicros(token.lastUsedAt));
  return encodedMessageField(TOKENS_FIELD_NUMBER, [leading, lastUse]);
}

function clusterRoleOf(user: UserRecord): ClusterRole {
  return user.clusterAdmin ? ClusterRole.ADMIN : ClusterRole.UNSPECIFIED;
}

function clusterAdminFrom(role: ClusterRole): boolean {
  switch (role) {
    case ClusterRole.ADMIN:
      return true;
    case ClusterRole.UNSPECIFIED:
      return false;
    default:
      throw invalidArgument(`unknown cluster_role ${role}`);
  }
}

function identityId(raw: string, field: string): string {
  if (!isUuid(raw)) throw invalidArgument(`${field} must be a valid UUID`);
  return raw.toLowerCase();
}

function checkUsername(username: string): void {
  if (!isValidUsername(username)) {
    throw invalidArgument(`username must match ${USERNAME_PATTERN.source} and be at most ${USERNAME_MAX_LENGTH} characters`);
  }
}

// The page token is opaque to clients; here it is the last identity id of the previous page.
function encodePageToken(lastId: string): string {
  return Buffer.from(lastId, "utf8").toString("base64url");
}

function decodePageToken(token: string): string {
  const lastId = Buffer.from(token, "base64url").toString("utf8");
  if (!isUuid(lastId)) throw invalidArgument("invalid page_token");
  return lastId.toLowerCase();
}

function withConflicts<T>(write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (error instanceof UniqueConflictError) {
      throw new ConnectError(
        error.field === "username" ? "username already exists" : "user with this oidc_subject already exists",
        Code.AlreadyExists,
      );
    }
    throw error;
  }
}

function invalidArgument(message: string): ConnectError {
  return new ConnectError(message, Code.InvalidArgument);
}

function userNotFound(): ConnectError {
  return new ConnectError("user not found", Code.NotFound);
}
