// The diagnostic for a duplicate oidc_subject or username names the user that holds it.
import { create } from "@bufbuild/protobuf";
import type { GatewayClient } from "../../../gateway/client";
import { GatewayError } from "../../../gateway/gateway-error";
import { userRecord } from "../../../gateway/message-mapping";
import { UserSchema } from "../../../gen/agynio/api/users/v1/users_pb";
import { duplicateUserDiagnostic } from "../../../resources/user/user-conflicts";

const holder = userRecord(create(UserSchema, { meta: { id: "0b9e7f5e-1111-4000-8000-000000000002" }, oidcSubject: "svc:ci", username: "ci" }));
const someoneElse = userRecord(create(UserSchema, { meta: { id: "0b9e7f5e-1111-4000-8000-000000000003" }, oidcSubject: "svc:other", username: "other" }));

function gatewayListing(list: () => Promise<unknown>): GatewayClient {
  return { listAllUsers: list } as unknown as GatewayClient;
}

describe("duplicateUserDiagnostic", () => {
  const subjectTaken = new GatewayError("CreateUser", "already_exists", "user with this oidc_subject already exists");
  const usernameTaken = new GatewayError("CreateUser", "already_exists", "username already exists");

  it("names the holder of the subject, with the import command, on oidc_subject", async () => {
    const d = await duplicateUserDiagnostic(gatewayListing(async () => [someoneElse, holder]), { oidcSubject: "svc:ci", username: "new" }, subjectTaken);
    expect(d).toMatchObject({ severity: "error", summary: "agyn user already exists", path: [{ attr: "oidc_subject" }] });
    expect(d.detail).toContain('oidc_subject "svc:ci" already exists: identity 0b9e7f5e-1111-4000-8000-000000000002 (username ci)');
    expect(d.detail).toContain("terraform import agyn_user.<name> 0b9e7f5e-1111-4000-8000-000000000002");
  });

  it("names the holder of the username, on username", async () => {
    const d = await duplicateUserDiagnostic(gatewayListing(async () => [holder]), { oidcSubject: "svc:new", username: "ci" }, usernameTaken);
    expect(d.path).toEqual([{ attr: "username" }]);
    expect(d.detail).toContain('username "ci" already exists: identity 0b9e7f5e-1111-4000-8000-000000000002');
  });

  it("falls back to the Gateway's words when the users cannot be listed", async () => {
    const d = await duplicateUserDiagnostic(gatewayListing(async () => { throw new Error("denied"); }), { oidcSubject: "svc:x", username: "ci" }, usernameTaken);
    expect(d.path).toEqual([{ attr: "username" }]);
    expect(d.detail).toContain("CreateUser failed (already_exists): username already exists");
  });
});
