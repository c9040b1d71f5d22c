// data "agyn_user" configuration: which lookup it asks for, what is refused, and what comes back.
import type { GatewayClient } from "../../../gateway/client";
import { GatewayError } from "../../../gateway/gateway-error";
import { silentLogger } from "../../../provider/logging/logger";
import { validateBlockValues } from "../../../provider/core/validation";
import { userDataSource } from "../../../resources/user-data-source/user-data-source";
import { usernameValidator } from "../../../resources/user/username-rule";
import { userSchema } from "../../../resources/user/user-schema";
import type { UserLookupConfig, UserLookupValues } from "../../../resources/user-data-source/user-data-source-schema";
import { unknown } from "../../../schema/cty";
import { agynCoreWith } from "../../support/agyn-core";
import { contextWith } from "../../support/operation-context";

const ADA = "0b7e4a52-5c1d-4f0e-9a63-2d8c1e7f4b90";

const NONE: UserLookupValues = {
  id: null, identity_id: null, username: null, oidc_subject: null, name: null, email: null, photo_url: null, cluster_role: null,
};
/** As validation sees it (values may be unknown). */
const config = (set: Partial<UserLookupConfig>): UserLookupConfig => ({ ...NONE, ...set });
/** As a read gets it: known. */
const known = (set: Partial<UserLookupValues>): UserLookupValues => ({ ...NONE, ...set });

const validate = (cfg: UserLookupConfig) => [
  ...validateBlockValues(userDataSource.schema.block, cfg),
  ...(userDataSource.validateConfig?.(cfg, { log: silentLogger }) ?? []),
];

/** A Gateway that only answers BatchGetUsers (what a non-admin may call), recording every call. */
function nonAdminGateway(calls: string[]): Partial<GatewayClient> {
  const denied = (method: string) => async () => {
    calls.push(method);
    throw new GatewayError(method, "permission_denied", "cluster admin required");
  };
  const gateway = {
    getUser: denied("GetUser"),
    listAllUsers: denied("ListUsers"),
    async batchGetUsers(ids: string[]) {
      calls.push("BatchGetUsers");
      return ids.map((x) => x.toLowerCase()).filter((x) => x === ADA)
        .map((x) => ({ identityId: x, oidcSubject: null, username: "ada", name: "Ada", email: "ada@example.com", photoUrl: null }));
    },
  };
  return gateway;
}

describe("validation", () => {
  it("accepts no arguments (the caller) and any single one", () => {
    expect(validate(config({}))).toEqual([]);
    expect(validate(config({ identity_id: ADA }))).toEqual([]);
    expect(validate(config({ username: "ada" }))).toEqual([]);
    expect(validate(config({ oidc_subject: "oidc|ada" }))).toEqual([]);
  });

  it("refuses a second argument at its own path, naming the first", () => {
    const diags = validate(config({ identity_id: ADA, oidc_subject: "oidc|ada" }));
    expect(diags).toHaveLength(1);
    expect(diags[0]).toMatchObject({ severity: "error", summary: "Conflicting lookup arguments", path: [{ attr: "oidc_subject" }] });
    expect(diags[0].detail).toContain('"oidc_subject" cannot be used together with "identity_id"');
  });

  it("refuses each extra argument when all three are set", () => {
    const diags = validate(config({ identity_id: ADA, username: "ada", oidc_subject: "oidc|ada" }));
    expect(diags.map((d) => d.path)).toEqual([[{ attr: "username" }], [{ attr: "oidc_subject" }]]);
  });

  it("lets unknown values through: they may still turn out null", () => {
    expect(validate(config({ identity_id: unknown, username: "ada" }))).toEqual([]);
    expect(validate(config({ identity_id: unknown, username: unknown }))).toEqual([]);
  });

  it.each(["identity_id", "username", "oidc_subject"])("refuses an empty %s: leaving it out means the caller", (name) => {
    const diags = validate(config({ [name]: "" }));
    expect(diags).toHaveLength(1);
    expect(diags[0].path).toEqual([{ attr: name }]);
    expect(diags[0].detail).toContain("leave the argument out");
  });

  it.each([
    ["Ada", 'Usernames are lower case: did you mean "ada"?'],
    ["ada lovelace", "lowercase letters, digits"],
    ["a".repeat(33), "1 to 32"],
  ])("refuses %j, which cannot be a username, at its path with the Gateway's rule", (username, hint) => {
    const diags = validate(config({ username }));
    expect(diags.map((d) => [d.severity, d.summary, d.path])).toEqual([["error", "Invalid username", [{ attr: "username" }]]]);
    expect(diags[0].detail).toContain(`"${username}" is not a valid username`);
    expect(diags[0].detail).toContain(hint);
  });

  it("uses agyn_user's username rule (the same validator, not a copy)", () => {
    expect(userSchema.block.attributes.username.validators).toContain(usernameValidator);
    expect(userDataSource.schema.block.attributes.username.validators).toContain(usernameValidator);
  });

  it("refuses an identity_id that is not a UUID", () => {
    const diags = validate(config({ identity_id: "ada" }));
    expect(diags).toHaveLength(1);
    expect(diags[0]).toMatchObject({ summary: "Invalid identity_id", path: [{ attr: "identity_id" }] });
  });
});

describe("read", () => {
  it("refuses a username that was unknown at validation and cannot be one, before any Gateway call", async () => {
    const calls: string[] = [];
    const { core, encoded } = await agynCoreWith(nonAdminGateway(calls));
    const result = await core.readDataSource({ typeName: "agyn_user", config: encoded("agyn_user", known({ username: "Ada" })) });
    expect(result.state).toBeUndefined();
    expect(result.diagnostics?.map((d) => [d.summary, d.path])).toEqual([["Invalid username", [{ attr: "username" }]]]);
    expect(calls).toEqual([]);
  });

  it("checks values that were unknown at validation before calling the Gateway", async () => {
    const calls: string[] = [];
    const { core, encoded } = await agynCoreWith(nonAdminGateway(calls));
    const result = await core.readDataSource({ typeName: "agyn_user", config: encoded("agyn_user", known({ identity_id: ADA, username: "" })) });
    expect(result.state).toBeUndefined();
    expect(result.diagnostics?.map((d) => [d.summary, d.path])).toEqual([
      ["Empty lookup argument", [{ attr: "username" }]],
      ["Conflicting lookup arguments", [{ attr: "username" }]],
    ]);
    expect(calls).toEqual([]);
  });

  it("keeps the configured argument as written, gives the canonical id in id, and null for what is not shared", async () => {
    const calls: string[] = [];
    const result = await userDataSource.read({ config: known({ identity_id: ADA.toUpperCase() }) }, contextWith(nonAdminGateway(calls)));
    expect(result.value).toEqual({
      id: ADA, identity_id: ADA.toUpperCase(), username: "ada", oidc_subject: null,
      name: "Ada", email: "ada@example.com", photo_url: null, cluster_role: null,
    });
    expect(calls).toEqual(["GetUser", "BatchGetUsers"]);
  });
});
