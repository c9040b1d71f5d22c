// The one translation between the Gateway's generated messages and the provider's records (records.ts).
// Proto3 omits zero values, so "" and an absent or zero timestamp both mean "not set": null in a record.
import { create } from "@bufbuild/protobuf";
import { type Timestamp, TimestampSchema } from "@bufbuild/protobuf/wkt";
import { type APIToken, ClusterRole, type User, type UserDirectoryEntry } from "../gen/agynio/api/users/v1/users_pb";
import type { Instant } from "./instant";
import type { ApiTokenRecord, ClusterRoleName, DirectoryEntry, UserRecord } from "./records";

/** Go's zero time.Time (0001-01-01T00:00:00Z) in Unix seconds: what a Go server sends for "never". */
const GO_ZERO_TIME_SECONDS = -62_135_596_800n;

export function instantOf(ts: Timestamp | undefined): Instant | null {
  if (ts === undefined) return null;
  const zero = (ts.seconds === 0n && ts.nanos === 0) || ts.seconds <= GO_ZERO_TIME_SECONDS;
  return zero ? null : { seconds: ts.seconds, nanos: ts.nanos };
}

/** Keeps every digit the instant has: the Gateway stores microseconds, which a Date would round away. */
export function timestampOf(instant: Instant): Timestamp {
  return create(TimestampSchema, { seconds: instant.seconds, nanos: instant.nanos });
}

const text = (value: string): string | null => (value === "" ? null : value);

export function apiTokenRecord(t: APIToken): ApiTokenRecord {
  return {
    id: t.id,
    identityId: t.identityId,
    name: t.name,
    tokenPrefix: t.tokenPrefix,
    expiresAt: instantOf(t.expiresAt),
    createdAt: instantOf(t.createdAt),
    lastUsedAt: instantOf(t.lastUsedAt),
  };
}

/** Null for a missing user, or one without an identity id (which nothing could refer to). */
export function userRecord(u: User | undefined): UserRecord | null {
  const id = u?.meta?.id ?? "";
  if (u === undefined || id === "") return null;
  return {
    identityId: id.toLowerCase(),
    oidcSubject: text(u.oidcSubject),
    name: text(u.name),
    email: text(u.email),
    photoUrl: text(u.photoUrl),
    username: text(u.username),
  };
}

export function directoryEntry(e: UserDirectoryEntry): DirectoryEntry {
  return { identityId: e.identityId.toLowerCase(), username: text(e.username), name: text(e.name), photoUrl: text(e.photoUrl) };
}

export function clusterRoleName(role: ClusterRole): ClusterRoleName {
  return role === ClusterRole.ADMIN ? "admin" : "none";
}

export function clusterRoleOf(name: ClusterRoleName): ClusterRole {
  return name === "admin" ? ClusterRole.ADMIN : ClusterRole.UNSPECIFIED;
}
