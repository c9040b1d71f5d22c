// The one translation between the Gateway's messages and the provider's records.
import { create } from "@bufbuild/protobuf";
import { TimestampSchema } from "@bufbuild/protobuf/wkt";
import { APITokenSchema, ClusterRole, UserDirectoryEntrySchema, UserSchema } from "../../gen/agynio/api/users/v1/users_pb";
import {
  apiTokenRecord,
  clusterRoleName,
  clusterRoleOf,
  directoryEntry,
  instantOf,
  timestampOf,
  userRecord,
} from "../../gateway/message-mapping";

const ts = (seconds: bigint, nanos = 0) => create(TimestampSchema, { seconds, nanos });

describe("timestamps", () => {
  it("an absent, a zero and Go's zero time are all null: the Gateway's 'never'", () => {
    expect(instantOf(undefined)).toBeNull();
    expect(instantOf(ts(0n))).toBeNull();
    expect(instantOf(ts(-62_135_596_800n))).toBeNull();
  });

  it("keep every digit both ways, microseconds included", () => {
    expect(instantOf(ts(1_900_000_000n, 123_456_500))).toEqual({ seconds: 1_900_000_000n, nanos: 123_456_500 });
    expect(timestampOf({ seconds: 1_900_000_000n, nanos: 500_000 })).toMatchObject({ seconds: 1_900_000_000n, nanos: 500_000 });
  });
});

describe("records", () => {
  it("an API token keeps its fields; unset timestamps are null", () => {
    const t = create(APITokenSchema, { id: "t1", identityId: "u1", name: "ci", tokenPrefix: "agyn_abc", createdAt: ts(1_900_000_000n) });
    expect(apiTokenRecord(t)).toEqual({
      id: "t1", identityId: "u1", name: "ci", tokenPrefix: "agyn_abc",
      createdAt: { seconds: 1_900_000_000n, nanos: 0 }, lastUsedAt: null, expiresAt: null,
    });
  });

  it("a user's empty strings are null and its identity id is lowercase; a user without an id is no user", () => {
    const u = create(UserSchema, { meta: { id: "0B7E4A52-5C1D-4F0E-9A63-2D8C1E7F4B90" }, oidcSubject: "oidc|ada", name: "Ada" });
    expect(userRecord(u)).toEqual({
      identityId: "0b7e4a52-5c1d-4f0e-9a63-2d8c1e7f4b90", oidcSubject: "oidc|ada", name: "Ada", email: null, photoUrl: null, username: null,
    });
    expect(userRecord(create(UserSchema, { name: "nobody" }))).toBeNull();
    expect(userRecord(undefined)).toBeNull();
  });

  it("a directory entry likewise", () => {
    expect(directoryEntry(create(UserDirectoryEntrySchema, { identityId: "ABC", username: "ada" })))
      .toEqual({ identityId: "abc", username: "ada", name: null, photoUrl: null });
  });

  it("cluster roles are names, and only ADMIN is admin", () => {
    expect(clusterRoleName(ClusterRole.ADMIN)).toBe("admin");
    expect(clusterRoleName(ClusterRole.UNSPECIFIED)).toBe("none");
    expect(clusterRoleName(7 as ClusterRole)).toBe("none");
    expect(clusterRoleOf("admin")).toBe(ClusterRole.ADMIN);
    expect(clusterRoleOf("none")).toBe(ClusterRole.UNSPECIFIED);
  });
});
