// A duplicate oidc_subject or username is a plain conflict, not a race: say at once which existing user
// holds it, so the user can import that one instead of retrying.
import type { GatewayClient } from "../../gateway/client";
import type { GatewayError } from "../../gateway/gateway-error";
import { type Diagnostic, error, quoted } from "../../schema/diagnostics";

export interface WantedIdentity {
  readonly oidcSubject?: string;
  readonly username?: string;
}

export async function duplicateUserDiagnostic(gateway: GatewayClient, wanted: WantedIdentity, cause: GatewayError): Promise<Diagnostic> {
  let users;
  try {
    users = await gateway.listAllUsers(100);
  } catch {
    // The caller may not see other users; the Gateway's own words are all there is to go on.
    const taken = /username/.test(cause.gatewayMessage) ? "username" : "oidc_subject";
    return error("agyn user already exists",
      `${cause.message}\n\nAnother user already has this ${taken}. ` +
        "Import that user into this resource (terraform import with its identity id) or choose another value.",
      [{ attr: taken }]);
  }
  const bySubject = wanted.oidcSubject === undefined ? undefined : users.find((u) => u.oidcSubject === wanted.oidcSubject);
  const byUsername = wanted.username === undefined ? undefined : users.find((u) => u.username === wanted.username);
  const holder = bySubject ?? byUsername;
  const attr = bySubject ? "oidc_subject" : "username";
  if (!holder) {
    return error("agyn user already exists", `${cause.message}\n\nNo visible user holds the value any more; if it was a race, run terraform apply again.`);
  }
  const value = attr === "oidc_subject" ? wanted.oidcSubject : wanted.username;
  const id = holder.identityId;
  return error("agyn user already exists",
    `A user with ${attr} ${quoted(value ?? "")} already exists: identity ${id}${holder.username ? ` (username ${holder.username})` : ""}. ` +
      `To manage that user here, import it:\n  terraform import agyn_user.<name> ${id}\n` +
      `or add an import block:\n  import {\n    to = agyn_user.<name>\n    id = "${id}"\n  }\n` +
      `Otherwise choose another ${attr}.`,
    [{ attr }]);
}
