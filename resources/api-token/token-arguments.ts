// What every agyn API token is minted from — description, expires_at or expires_in — and the rules they
// obey, shared by resource "agyn_api_token" and ephemeral "agyn_api_token" so both refuse the same input
// with the same words.
import { parseRfc3339 } from "../../gateway/instant";
import { type CtyValue, isSet } from "../../schema/cty";
import type { Validator } from "../../schema/declaration";
import { type Diagnostic, error, quoted } from "../../schema/diagnostics";
import { check, nonEmptyString } from "../../schema/validators";
import { durationProblem } from "../go-duration";

/** description: the Gateway's token name, which must not be empty. */
export const descriptionValidators: readonly Validator[] = [nonEmptyString()];

/** expires_at: an RFC 3339 instant. (Whether it is still ahead is decided when the token is minted.) */
export const expiresAtValidators: readonly Validator[] = [
  check("an RFC 3339 timestamp", (v) => (parseRfc3339(v) ? undefined : `${quoted(v)} is not an RFC 3339 timestamp, e.g. "2027-06-01T00:00:00Z".`)),
];

/** expires_in: a positive Go duration. */
export const expiresInValidators: readonly Validator[] = [check("a Go duration", durationProblem)];

/** expires_at and expires_in are alternatives: both set is an error at expires_in. */
export function expirySettingsProblems(config: { readonly expires_at: CtyValue; readonly expires_in: CtyValue }): Diagnostic[] {
  if (!isSet(config.expires_at) || !isSet(config.expires_in)) return [];
  return [error("Conflicting expiry settings", "Set expires_at or expires_in, not both.", [{ attr: "expires_in" }])];
}

/** How an expires_in lifetime becomes expires_at (expiry.ts), for the attribute's documentation. */
export const EXPIRES_IN_ROUNDING =
  "The provider adds one second for the request to reach the Gateway, so `expires_at` is never less than `expires_in` " +
  "after the `created_at` the Gateway records.";
