// resource "agyn_user": a user managed by a cluster admin (CreateUser / GetUser / UpdateUser / DeleteUser).
import type { Schema } from "../../schema/declaration";
import { quoted } from "../../schema/diagnostics";
import { defaultValue, requiresReplace, useStateForUnknown } from "../../schema/plan-modifiers";
import type { ApplyingValues, KnownValues, PlanningValues } from "../../schema/typed-values";
import { check } from "../../schema/validators";
import { usernameValidator } from "./username-rule";

export const CLUSTER_ROLES = ["admin", "none"] as const;

// The Gateway stores "" for an absent value, so "" cannot be told apart from null: omit the argument instead.
const notEmpty = (what: string) =>
  check("must not be empty", (v) => (v === "" ? `An empty ${what} cannot be stored; omit the argument to leave it unset (or to clear it).` : undefined));

const clusterRole = check('"admin" or "none"', (v) =>
  (CLUSTER_ROLES as readonly string[]).includes(v) ? undefined : `cluster_role must be "admin" or "none", got ${quoted(v)}.`);

const optionalString = (description: string, markdownDescription: string, what: string) => ({
  type: "string",
  optional: true,
  description,
  markdownDescription,
  validators: [notEmpty(what)],
} as const);

const identity = (description: string) => ({
  type: "string",
  computed: true,
  description,
  planModifiers: [useStateForUnknown()],
} as const);

export const userSchema = {
  // Version 0 is the platform's Go provider (with `nickname`, without `email` and `id`); its state upgrades.
  version: 1,
  block: {
    description: "An agyn user (a person or a service account). Needs a cluster admin: the provider's token must belong to an admin, or be the platform's bootstrap admin token.",
    markdownDescription:
      "An agyn user — a person, or a non-human service account for automation. Managing users needs a **cluster admin**: " +
      "the provider's token must belong to a user with `cluster_role = \"admin\"`, or be the platform's bootstrap admin token.\n\n" +
      "~> Deleting or replacing a user deletes **all of their API tokens**, including tokens managed elsewhere. " +
      "Changing `oidc_subject` replaces the user; the plan warns when it would.",
    attributes: {
      id: identity("The user's identity id, the same as identity_id."),
      identity_id: identity("The user's identity id (a UUID). Import with it."),
      oidc_subject: {
        type: "string",
        required: true,
        description: "The OIDC subject the user signs in with (the `sub` claim). Changing it replaces the user, which deletes their API tokens.",
        markdownDescription:
          "The OIDC subject the user signs in with (the `sub` claim of the identity provider). For a service account any unique " +
          "string works, e.g. `\"svc:ci-deployer\"`. Changing it **replaces** the user, which deletes all of their API tokens.",
        validators: [notEmpty("oidc_subject")],
        planModifiers: [requiresReplace()],
      },
      name: optionalString("Display name. Removing it clears it.", "Display name. Removing it from the configuration clears it.", "name"),
      email: optionalString("Email address. Removing it clears it.", "Email address. Removing it from the configuration clears it.", "email"),
      photo_url: optionalString("URL of the user's picture. Removing it clears it.", "URL of the user's picture. Removing it from the configuration clears it.", "photo_url"),
      username: {
        type: "string",
        optional: true,
        computed: true,
        description: "Unique handle (lowercase letters, digits, _ and -, at most 32). Derived by the Gateway when omitted; removing it keeps the current handle.",
        markdownDescription:
          "Unique cluster-wide handle: 1–32 lowercase letters, digits, `_` or `-`. When omitted the Gateway derives one " +
          "(from `name`, else `user-<8 hex>`), shown after create without causing a diff. Removing it from the configuration keeps the current handle.",
        validators: [notEmpty("username"), usernameValidator],
        planModifiers: [useStateForUnknown()],
      },
      cluster_role: {
        type: "string",
        optional: true,
        computed: true,
        description: 'Cluster role: "admin" or "none". Omitted means "none".',
        markdownDescription: "Cluster role: `\"admin\"` or `\"none\"`. Omitted means `\"none\"`, so an admin role granted outside Terraform shows up as drift.",
        validators: [clusterRole],
        planModifiers: [defaultValue("none", 'omitted means "none"')],
      },
      allow_self_delete: {
        type: "bool",
        optional: true,
        description: "Allow destroying or replacing this user even when it is the user the provider authenticates as (which deletes the provider's own token and locks Terraform out). Default false.",
        markdownDescription:
          "Allow destroying or replacing this user even when it is the very user the provider authenticates as — which deletes the " +
          "provider's own token with all the user's others and locks Terraform out. Default `false`: such a plan is refused. " +
          "Changing it does not touch the user.",
      },
      allow_self_demote: {
        type: "bool",
        optional: true,
        description: "Allow removing the cluster admin role from this user even when it is the user the provider authenticates as (which leaves the provider unable to manage users). Default false.",
        markdownDescription:
          "Allow changing `cluster_role` from `\"admin\"` even when this is the very user the provider authenticates as — after which " +
          "the provider can no longer read or manage users, this one included. Default `false`: such a plan is refused. " +
          "Changing it does not touch the user.",
      },
    },
  },
} as const satisfies Schema;

/** agyn_user as state holds it, as a plan sees it, and as an apply receives it. */
export type UserState = KnownValues<typeof userSchema.block>;
export type UserPlan = PlanningValues<typeof userSchema.block>;
export type UserApply = ApplyingValues<typeof userSchema.block>;
