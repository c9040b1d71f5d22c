// What the Gateway says, as the provider uses it: plain records with ids, names, instants or null and
// role names. Generated protobuf messages never leave gateway/; message-mapping.ts is the one translation.
import type { Instant } from "./instant";

export type ClusterRoleName = "admin" | "none";

export interface ApiTokenRecord {
  readonly id: string;
  /** The owner: the identity that minted it. */
  readonly identityId: string;
  /** What the Console calls the token's name (agyn_api_token's description). */
  readonly name: string;
  /** The first 8 characters of the secret, safe to show. */
  readonly tokenPrefix: string;
  readonly expiresAt: Instant | null;
  readonly createdAt: Instant | null;
  readonly lastUsedAt: Instant | null;
}

/** CreateAPIToken's answer: the only moment the secret exists outside its owner's hands. */
export interface MintedApiToken {
  /** Null when the Gateway's answer lacks the token's metadata. */
  readonly token: ApiTokenRecord | null;
  /** Empty when the Gateway's answer lacks the secret. */
  readonly plaintext: string;
}

/** A user. The Gateway omits empty strings, so an absent value is null, never "". */
export interface UserRecord {
  /** The identity id, lowercase. */
  readonly identityId: string;
  /** Null where the Gateway does not share it (BatchGetUsers). */
  readonly oidcSubject: string | null;
  readonly name: string | null;
  readonly email: string | null;
  readonly photoUrl: string | null;
  readonly username: string | null;
}

/** A user with the instant the Gateway created it (the recovery after a failed CreateUser asks when). */
export interface CreatedUser {
  readonly user: UserRecord;
  readonly createdAt: Instant | null;
}

/** GetMe and GetUser also say the user's cluster role. */
export interface UserWithRole {
  readonly user: UserRecord;
  readonly clusterRole: ClusterRoleName;
}

/** SearchUsers' public directory entry. */
export interface DirectoryEntry {
  readonly identityId: string;
  readonly username: string | null;
  readonly name: string | null;
  readonly photoUrl: string | null;
}

/** CreateUser's input. */
export interface NewUser {
  readonly oidcSubject: string;
  readonly name?: string;
  readonly photoUrl?: string;
  readonly username?: string;
  /** Default "none". */
  readonly clusterRole?: ClusterRoleName;
}

/** UpdateUser's input: only what changes; "" clears a text field (the Gateway's "not set"). */
export interface UserChanges {
  readonly name?: string;
  readonly email?: string;
  readonly photoUrl?: string;
  readonly username?: string;
  readonly clusterRole?: ClusterRoleName;
}
