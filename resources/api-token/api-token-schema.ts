// resource "agyn_api_token": an API token of the identity the provider authenticates as.
import { parseGoDuration } from "../go-duration";
import { compareInstants, parseRfc3339 } from "../../gateway/instant";
import { type CtyValue, isUnknown } from "../../schema/cty";
import type { PlanModifier, Schema } from "../../schema/declaration";
import { requiresReplace, requiresReplaceIf, useStateForUnknown } from "../../schema/plan-modifiers";
import type { ApplyingValues, KnownValues, PlanningValues } from "../../schema/typed-values";
import { descriptionValidators, EXPIRES_IN_ROUNDING, expiresAtValidators, expiresInValidators } from "./token-arguments";

/**
 * An in-place update only stores provider-side settings and returns every computed value unchanged, so an
 * existing token keeps them in the plan — null ones too (last_used_at before first use, token after import).
 * Without this, a plan whose proposal differs only by an equivalent spelling would show "(known after apply)".
 */
const keepPriorNullOnUpdate: PlanModifier = {
  description: "an in-place update never changes it",
  modify: (req) => (req.priorState !== null && req.prior === null && req.config === null && isUnknown(req.planned) ? { planned: null } : {}),
};

/** A string the Gateway reports. */
function computed(description: string, extra: { readonly sensitive?: boolean; readonly markdownDescription?: string } = {}) {
  return { ...extra, type: "string", computed: true, description, planModifiers: [useStateForUnknown(), keepPriorNullOnUpdate] } as const;
}

const sameInstant = (a: CtyValue, b: CtyValue) => {
  const ia = typeof a === "string" ? parseRfc3339(a) : undefined;
  const ib = typeof b === "string" ? parseRfc3339(b) : undefined;
  return ia !== undefined && ib !== undefined && compareInstants(ia, ib) === 0;
};

/** Another spelling of the same instant is no change: keep the spelling already in state, plan nothing. */
const keepPriorSpellingOfSameInstant: PlanModifier = {
  description: "equivalent spellings of one instant are not a change",
  modify: (req) => (req.prior !== undefined && req.prior !== null && sameInstant(req.prior, req.planned) ? { planned: req.prior } : {}),
};

/**
 * A different lifetime replaces the token. Setting expires_in on a token that already has an expiry (e.g.
 * after import, where the lifetime is unknowable) adopts it in place; it applies from the next replacement.
 */
const lifetimeChanges = requiresReplaceIf("a different lifetime replaces the token", (prior, planned, req) => {
  if (prior === null) return (req.priorState?.expires_at ?? null) === null;
  if (planned === null) return true;
  return parseGoDuration(String(prior)) !== parseGoDuration(String(planned));
});

export const apiTokenSchema = {
  version: 0,
  block: {
    description: "An agyn API token of the identity the provider authenticates as. The secret is returned once, at create.",
    markdownDescription:
      "An agyn API token of the identity the provider authenticates as (the Gateway mints tokens only for the caller). " +
      "The secret `token` is returned once, at create, and kept in state; it is never readable again — after `terraform import` it is null. " +
      "The Gateway cannot update a token, so changing `description`, `expires_at` or `expires_in` replaces it: use " +
      "`lifecycle { create_before_destroy = true }` so the new token exists before the old one is revoked.",
    attributes: {
      id: computed("The token's id (a UUID). A tainted placeholder left by a create whose outcome is unknown has lost-create:<from>/<to>, the window to search."),
      description: {
        type: "string",
        required: true,
        description: "What the token is for (the Gateway's token name). Changing it replaces the token.",
        markdownDescription: "What the token is for (the Gateway's token `name`), e.g. `\"prod terraform\"`. Changing it replaces the token.",
        validators: descriptionValidators,
        planModifiers: [requiresReplace()],
      },
      expires_at: {
        type: "string",
        optional: true,
        computed: true,
        description: "When the token expires (RFC 3339). Omit it, and expires_in, for a long-lived token. Must be in the future when the token is created. Changing the instant replaces the token.",
        markdownDescription:
          "When the token expires, RFC 3339 (e.g. `2027-06-01T00:00:00Z`). Omit it and `expires_in` for a long-lived token. " +
          "Must be in the future when the token is created or replaced. Another spelling of the same instant is not a change; " +
          "a different instant replaces the token. With `expires_in`, shows the expiry it produced.",
        validators: expiresAtValidators,
        // Prior value first (spelling, then "unchanged because not configured"), so only a real change of the
        // instant, or one not yet known, reaches requiresReplaceIf.
        planModifiers: [
          keepPriorSpellingOfSameInstant,
          useStateForUnknown(),
          keepPriorNullOnUpdate,
          requiresReplaceIf("a different instant replaces the token", (a, b) => !sameInstant(a, b)),
        ],
      },
      expires_in: {
        type: "string",
        optional: true,
        description: "Lifetime from creation as a Go duration (e.g. \"2160h\"); the alternative to expires_at. The expiry is fixed at create time.",
        markdownDescription:
          "Lifetime from creation as a Go duration (e.g. `\"2160h\"` for 90 days); the alternative to `expires_at`. " +
          `The expiry is fixed when the token is created and does not drift on later plans. ${EXPIRES_IN_ROUNDING} Changing it replaces the token ` +
          "(an equivalent spelling such as `\"60m\"` for `\"1h\"` does not). Setting it on a token that already has an expiry, " +
          "e.g. after import, adopts the token as it is; the lifetime applies from the next replacement.",
        validators: expiresInValidators,
        planModifiers: [lifetimeChanges],
      },
      rotate_before: {
        type: "string",
        optional: true,
        description: "Replace the token when a plan runs within this duration (Go syntax, e.g. \"360h\") before it expires, or after. Needs expires_in (with expires_at it warns instead).",
        markdownDescription:
          "Replace the token when a plan runs within this duration (Go syntax, e.g. `\"360h\"`) before it expires, or after it expired. " +
          "Needs an expiry: with `expires_in` the plan replaces the token (a new expiry is computed); with a fixed `expires_at` the plan " +
          "only warns, because a replacement would get the same expiry. Changing it does not touch the token.",
        validators: expiresInValidators,
      },
      allow_self_revoke: {
        type: "bool",
        optional: true,
        description: "Allow destroying or replacing this token even when it is the token the provider itself authenticates with. Default false.",
        markdownDescription:
          "Allow revoking this token even when it is the very token the provider authenticates with (which would lock Terraform out). Default `false`. Changing it does not touch the token.",
      },
      token: computed("The secret token. Set only at create; null after import.", {
        sensitive: true,
        markdownDescription: "The secret token (`agyn_…`). Set only at create and carried forward unchanged; null after import. Sensitive: mark outputs that use it `sensitive = true`.",
      }),
      token_prefix: computed("The first 8 characters of the token, safe to show (the Console shows the same)."),
      identity_id: computed("Identity id of the token's owner: the identity the provider authenticated as when it was created."),
      created_at: computed("When the token was created (RFC 3339)."),
      last_used_at: computed("When the token last authenticated a request (RFC 3339), or null if never."),
      expired: { ...computed("Whether the token had expired when it was last read."), type: "bool" },
    },
  },
} as const satisfies Schema;

/** agyn_api_token as state holds it, as a plan or validation sees it, and as an apply receives it. */
export type ApiTokenState = KnownValues<typeof apiTokenSchema.block>;
export type ApiTokenPlan = PlanningValues<typeof apiTokenSchema.block>;
export type ApiTokenApply = ApplyingValues<typeof apiTokenSchema.block>;
