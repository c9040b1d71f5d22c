// ephemeral "agyn_api_token": a token for one Terraform run, never in plan or state. Its arguments are the
// managed token's (token-arguments.ts: same validators, same rules); only what Terraform needs back differs.
import type { Schema } from "../../schema/declaration";
import type { KnownValues, PlanningValues } from "../../schema/typed-values";
import { descriptionValidators, EXPIRES_IN_ROUNDING, expiresAtValidators, expiresInValidators } from "../api-token/token-arguments";

/** The lifetime of a run token that sets neither expires_in nor expires_at: it bounds a token Close could not revoke. */
export const DEFAULT_RUN_TOKEN_LIFETIME = "1h";

const computed = (description: string) => ({ type: "string", computed: true, description } as const);

export const ephemeralApiTokenSchema = {
  version: 0,
  block: {
    description:
      `A short-lived API token of the identity the provider authenticates as, for one Terraform run and never written to plan or state: ` +
      `minted when Terraform opens it (in every plan and every apply) and revoked when Terraform closes it. Expires after ${DEFAULT_RUN_TOKEN_LIFETIME} unless expires_in or expires_at says otherwise. Needs Terraform 1.10 or OpenTofu 1.11 or later.`,
    markdownDescription:
      "A short-lived API token of the identity the provider authenticates as, for one Terraform run: use it to configure another " +
      "provider (for example an aliased `agyn` provider) or in a write-only argument. It is never written to plan or state. " +
      "Terraform opens it — the provider mints a token — in **every plan and every apply**, and closes it at the end of that " +
      `run phase — the provider revokes the token. It expires after \`${DEFAULT_RUN_TOKEN_LIFETIME}\` unless \`expires_in\` or \`expires_at\` ` +
      "says otherwise, so a token that could not be revoked stops working soon anyway. Needs Terraform 1.10 or OpenTofu 1.11 or later.",
    attributes: {
      description: {
        type: "string",
        required: true,
        description: "What the token is for (the Gateway's token name), e.g. \"terraform run\". Shown in the Console while the run lasts.",
        markdownDescription: "What the token is for (the Gateway's token `name`), e.g. `\"terraform run ${terraform.workspace}\"`. Shown in the Console while the run lasts.",
        validators: descriptionValidators,
      },
      expires_in: {
        type: "string",
        optional: true,
        description: `Lifetime from opening as a Go duration (e.g. "30m"); the alternative to expires_at. Default ${DEFAULT_RUN_TOKEN_LIFETIME} when neither is set. Choose more than the longest plan or apply: the token is not renewed.`,
        markdownDescription:
          `Lifetime from opening as a Go duration (e.g. \`"30m"\`); the alternative to \`expires_at\`. Default \`"${DEFAULT_RUN_TOKEN_LIFETIME}"\` ` +
          "when neither is set. Choose more than your longest plan or apply: the Gateway cannot extend a token, so it is not renewed. " +
          EXPIRES_IN_ROUNDING,
        validators: expiresInValidators,
      },
      expires_at: {
        type: "string",
        optional: true,
        computed: true,
        description: "When the token expires (RFC 3339); must be in the future when it is opened. When not set: the expiry expires_in (or the default) produced.",
        markdownDescription:
          "When the token expires, RFC 3339 (e.g. `2027-06-01T00:00:00Z`); must be in the future when the token is opened. " +
          "When not set: the expiry that `expires_in`, or the default lifetime, produced.",
        validators: expiresAtValidators,
      },
      token: {
        type: "string",
        computed: true,
        sensitive: true,
        description: "The secret token. Ephemeral: usable in provider blocks, write-only arguments, other ephemeral resources, and ephemeral locals, variables and outputs.",
        markdownDescription:
          "The secret token (`agyn_…`). Ephemeral: usable only where Terraform accepts ephemeral values — provider blocks, write-only " +
          "arguments, other ephemeral resources, and ephemeral locals, variables and outputs.",
      },
      id: computed("The token's id (a UUID), as the Console and ListAPITokens show it while the run lasts."),
      token_prefix: computed("The first 8 characters of the token, safe to show."),
      identity_id: computed("Identity id of the token's owner: the identity the provider authenticates as."),
      created_at: computed("When the Gateway created the token (RFC 3339)."),
    },
  },
} as const satisfies Schema;

export type EphemeralApiTokenValues = KnownValues<typeof ephemeralApiTokenSchema.block>;
export type EphemeralApiTokenConfig = PlanningValues<typeof ephemeralApiTokenSchema.block>;
