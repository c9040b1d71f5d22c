// data "agyn_user": one user, looked up by identity_id, username or oidc_subject — or the caller (GetMe).
import { isUuid } from "../../gateway/identifiers";
import type { Schema, Validator } from "../../schema/declaration";
import { quoted } from "../../schema/diagnostics";
import type { KnownValues, PlanningValues } from "../../schema/typed-values";
import { check } from "../../schema/validators";
import { usernameValidator } from "../user/username-rule";

/** The lookup arguments, in the order conflicts are reported: the first one set wins, the others are errors. */
export const USER_LOOKUP_ARGUMENTS = ["identity_id", "username", "oidc_subject"] as const;

const computedString = (description: string, markdownDescription?: string) =>
  ({ type: "string", computed: true, description, markdownDescription } as const);

// An empty string is not "the caller": that is spelled by leaving the argument out.
const notEmpty = check("must not be empty", (value) =>
  value === "" ? "An empty string looks up nothing. To read the caller, leave the argument out." : undefined,
  "Empty lookup argument");

const uuid = check("must be a UUID", (value) =>
  value === "" || isUuid(value) ? undefined : `${quoted(value)} is not an identity id: expected a UUID such as 7d1f6a0e-1b2c-4d3e-8f40-5a6b7c8d9e0f.`,
  "Invalid identity_id");

const lookupArgument = (description: string, markdownDescription: string, extraValidators: readonly Validator[] = []) => ({
  type: "string",
  optional: true,
  computed: true,
  description,
  markdownDescription,
  validators: [notEmpty, ...extraValidators],
} as const);

const EXCLUSIVE = "At most one of identity_id, username and oidc_subject may be set.";
const EXCLUSIVE_MD = "At most one of `identity_id`, `username` and `oidc_subject` may be set.";

export const userDataSourceSchema = {
  version: 0,
  block: {
    description:
      "Reads an agyn user by identity_id, username or oidc_subject (at most one). With none of them it reads the caller: the identity the provider authenticates as.",
    markdownDescription:
      "Reads an agyn user by `identity_id`, `username` or `oidc_subject` (at most one). With none of them it reads the caller — " +
      "the identity the provider's token belongs to (`GetMe`).\n\n" +
      "A cluster admin sees every field. Anyone else can look users up by `identity_id` or `username`; " +
      "`oidc_subject` and `cluster_role` of the user found are then null, because the Gateway does not share them.",
    attributes: {
      id: computedString("The user's identity id (a UUID, lowercase)."),
      identity_id: lookupArgument(
        `Look up the user with this identity id (a UUID). Open to every user; a non-admin gets null oidc_subject and cluster_role. ${EXCLUSIVE} When not set: the identity id of the user found.`,
        "Look up the user with this identity id (a UUID). A cluster admin reads the full record (`GetUser`); anyone else reads what " +
          `\`BatchGetUsers\` shares, so \`oidc_subject\` and \`cluster_role\` are null. ${EXCLUSIVE_MD} When not set: the identity id of the user found.`,
        [uuid],
      ),
      username: lookupArgument(
        `Look up the user with exactly this username (lowercase letters, digits, _ and -, at most 32; anything else is refused at validation). Open to every user; when more than 20 usernames start with it, only a cluster admin can resolve it. ${EXCLUSIVE} When not set: the username of the user found, or null if it has none.`,
        "Look up the user with exactly this username: 1–32 lowercase letters, digits, `_` or `-` (anything else is refused " +
          "at validation, before any Gateway call). It is found with `SearchUsers`, which returns at most 20 matches; when the " +
          "exact one is not among them, a cluster admin's lookup goes on to scan `ListUsers`, anyone else's fails and says why. " +
          "When no user has it, the error names similar usernames the caller can see. " +
          `A non-admin gets null \`oidc_subject\` and \`cluster_role\`. ${EXCLUSIVE_MD} When not set: the username of the user found, or null if it has none.`,
        [usernameValidator],
      ),
      oidc_subject: lookupArgument(
        `Look up the user who signs in with this OIDC subject; needs a cluster admin. ${EXCLUSIVE} When not set: the subject of the user found, or null when the caller may not see it.`,
        "Look up the user who signs in with this OIDC subject. Needs a cluster admin: the Gateway has no lookup by subject, so the " +
          `provider scans \`ListUsers\`. ${EXCLUSIVE_MD} When not set: the subject of the user found, or null when the caller may not ` +
          "see it (a non-admin reading a user by `identity_id` or `username`).",
      ),
      name: computedString("Display name, or null when the user has none."),
      email: computedString("Email address, or null when the Gateway has none."),
      photo_url: computedString("URL of the user's picture, or null when there is none."),
      cluster_role: computedString(
        'Cluster role: "admin" or "none"; null when the caller may not see it (a non-admin reading a user by identity_id or username).',
        "Cluster role: `admin` or `none`; null when the caller may not see it (a non-admin reading a user by `identity_id` or `username`).",
      ),
    },
  },
} as const satisfies Schema;

/** data "agyn_user" as a lookup reads and reports it, and as validation sees it. */
export type UserLookupValues = KnownValues<typeof userDataSourceSchema.block>;
export type UserLookupConfig = PlanningValues<typeof userDataSourceSchema.block>;
