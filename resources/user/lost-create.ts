// When CreateUser fails for good (gateway/user-creation.ts already retried, and adopted the user a lost
// attempt made): say what happened and what to do — import a user that was there before, or check for one
// when even the check failed.
import type { GatewayClient } from "../../gateway/client";
import { describeWindow } from "../../gateway/gateway-clock";
import type { UserCreationFailed } from "../../gateway/user-creation";
import { type Diagnostic, error, quoted } from "../../schema/diagnostics";
import { adminCallDiagnostic } from "../gateway-calls/cluster-admin-calls";
import { duplicateUserDiagnostic, type WantedIdentity } from "./user-conflicts";

export async function userCreationFailure(gateway: GatewayClient, failure: UserCreationFailed, wanted: WantedIdentity): Promise<Diagnostic> {
  const { lastError, found } = failure;
  if (lastError.code === "already_exists") return duplicateUserDiagnostic(gateway, wanted, lastError);
  if (found?.existing) {
    // Someone made this subject's user before this run: importing it is the way to manage it here.
    return duplicateUserDiagnostic(gateway, { oidcSubject: wanted.oidcSubject }, lastError);
  }
  const cause = adminCallDiagnostic(lastError, "creating a user");
  const tries = failure.failedAttempts.length;
  const history = tries > 1 ? `\n\nThe provider tried ${tries} times; the Gateway created no user on the failed attempts.` : "";
  if (!found?.unresolved) return error(cause.summary, `${cause.detail ?? ""}${history}`);
  const { window, error: checkError } = found.unresolved;
  const check = adminCallDiagnostic(checkError, "listing users");
  return error("agyn user creation failed; the user may have been created",
    `${cause.detail ?? cause.summary}${history}\n\nChecking whether the Gateway made the user anyway failed too: ${check.detail ?? check.summary}\n\n` +
      `If a user with oidc_subject ${quoted(wanted.oidcSubject ?? "")} now exists (created ${describeWindow(window)}), ` +
      "import it into this resource (terraform import with its identity id); otherwise run terraform apply again.");
}
