// resource "agyn_api_token": CreateAPIToken / ListAPITokens / RevokeAPIToken. The Gateway has no get or
// update for tokens, so Read lists and finds by id, and every defining input replaces the token. The rules
// live beside it: expiry.ts (expiry and rotation), api-token-state.ts (Gateway record to state), the guards.
import { GatewayError } from "../../gateway/gateway-error";
import { isUuid } from "../../gateway/identifiers";
import type { ResourceDefinition } from "../../provider/definition";
import { isUnknown, unknown } from "../../schema/cty";
import { type Diagnostic, DiagnosticError, error, quoted, warning } from "../../schema/diagnostics";
import { now } from "../clock";
import type { AgynSession } from "../configuration/session";
import { callGateway, gatewayDiagnostic } from "../gateway-calls/gateway-diagnostics";
import { apiTokenSchema, type ApiTokenState } from "./api-token-schema";
import { gatewayAttributes, importedState } from "./api-token-state";
import { expiryFor, isPast, lifetimeShortfallMs, pastExpiry, rotationDue, shortLifetimeWarning } from "./expiry";
import { revokeAfterFailedCreate } from "./failed-create";
import { isPlaceholder, mintingFailure, sweepLostCreate } from "./lost-create";
import { selfRevokeProblem } from "./self-revoke-guard";
import { expirySettingsProblems } from "./token-arguments";
import { assertSameOwner } from "./token-owner";
import { parseRfc3339 } from "../../gateway/instant";
import type { MintedApiToken } from "../../gateway/records";
import { MintingFailed, mintApiToken } from "../../gateway/token-minting";

export const apiTokenResource: ResourceDefinition<AgynSession, typeof apiTokenSchema> = {
  typeName: "agyn_api_token",
  schema: apiTokenSchema,

  validateConfig(config) {
    const out = expirySettingsProblems(config);
    // Unknown counts as "may be set" here: an expiry not known yet may still turn out to exist.
    const set = (value: unknown) => value !== null && value !== undefined;
    if (set(config.rotate_before) && !set(config.expires_at) && !set(config.expires_in)) {
      out.push(error("rotate_before needs an expiry",
        "rotate_before replaces the token before it expires, so the token needs expires_in (or expires_at).", [{ attr: "rotate_before" }]));
    }
    return out;
  },

  async modifyPlan({ prior, config, planned, requiresReplace }, ctx) {
    if (planned === null) {
      // Destroy plan (Terraform >= 1.3 asks us): refuse early if this is the provider's own token.
      const problem = prior ? selfRevokeProblem(prior, ctx.sessionIfConfigured()) : undefined;
      return { diagnostics: problem ? [problem] : [] };
    }
    const diagnostics: Diagnostic[] = [];
    const clock = now(process.env, ctx.log);
    if (prior === null) {
      // Creating (or the create half of a replacement): a fixed expiry must still be ahead.
      const expiresAt = planned.expires_at;
      if (typeof expiresAt === "string" && config?.expires_at !== null) {
        const at = parseRfc3339(expiresAt);
        if (at && isPast(at, clock)) diagnostics.push(pastExpiry(expiresAt));
      }
      return { planned, diagnostics };
    }
    const rotation = rotationDue(prior.expires_at, planned, clock);
    // A replacement revokes the old token: refuse it now if that is the provider's own, not after a new one exists.
    if (rotation === "replace" || (requiresReplace ?? []).length > 0) {
      const problem = selfRevokeProblem(prior, ctx.sessionIfConfigured(), "replace");
      if (problem) return { planned, diagnostics: [...diagnostics, problem] };
    }
    if (rotation === "replace") {
      ctx.log.info("token is inside its rotation window; planning a replacement", { id: prior.id });
      return { planned: { ...planned, token: unknown }, requiresReplace: [[{ attr: "token" }]], diagnostics };
    }
    if (rotation === "warn") {
      diagnostics.push(warning("API token is due for rotation",
        `This token expires at ${prior.expires_at}, within rotate_before. Its expiry is fixed by expires_at, so a replacement would expire at the same moment: set a later expires_at (or use expires_in) to rotate it.`,
        [{ attr: "expires_at" }]));
    }
    return { planned, diagnostics };
  },

  async create({ planned }, ctx) {
    const session = ctx.session();
    const clock = now(process.env, ctx.log);
    const expiry = expiryFor(planned, clock);
    if (expiry && isPast(expiry.instant, clock)) throw new DiagnosticError(pastExpiry(expiry.text));
    // Stop cancels only the waits between attempts: a create that reached the Gateway is recorded, not abandoned.
    let created: MintedApiToken;
    try {
      const minted = await mintApiToken(session.gateway(), { name: planned.description, expiresAt: expiry?.instant }, session.tokenClaims,
        { signal: ctx.signal });
      for (const { error: failed, revoked } of minted.failedAttempts) {
        ctx.log.warn("CreateAPIToken failed and was tried again", { error: failed.message, revoked_token_ids: revoked.join(",") });
      }
      created = minted.minted;
    } catch (err) {
      if (err instanceof MintingFailed) return mintingFailure(err, planned);
      throw err;
    }
    const token = created.token;
    try {
      if (!token || !created.plaintext) throw new Error("the Gateway's answer lacks the token or its id");
      const shortfall = expiry && typeof planned.expires_in === "string" ? lifetimeShortfallMs(expiry.instant, token.createdAt, planned.expires_in) : 0;
      return {
        diagnostics: shortfall > 0 ? [shortLifetimeWarning(shortfall, expiry!.text)] : [],
        value: {
          ...planned,
          ...gatewayAttributes(token, { description: planned.description, expires_at: null }, clock),
          token: created.plaintext,
          // Keep the user's spelling (Terraform requires planned values to equal the configuration).
          expires_at: expiry?.text ?? null,
          expired: false,
        },
      };
    } catch (err) {
      return revokeAfterFailedCreate(token, planned, err, ctx);
    }
  },

  async read({ state }, ctx) {
    // A placeholder for a create whose outcome is unknown stays, tainted, until its replacement cleans up.
    if (state.id === null || isPlaceholder(state)) return { value: state };
    const session = ctx.session();
    const id = state.id;
    const found = await callGateway("reading API tokens", () => session.gateway().findApiToken(id, { signal: ctx.signal }));
    if (found) session.tokenClaims.claim(found.id);
    if (!found) {
      await assertSameOwner(state, ctx, "read");
      ctx.log.info("API token no longer exists; removing it from state", { id: state.id });
      return { value: null };
    }
    return { value: { ...state, ...gatewayAttributes(found, state, now(process.env, ctx.log)) } };
  },

  async update({ prior, planned }) {
    // Only provider-side settings (rotate_before, allow_self_revoke) change in place; the token is untouched.
    const value: ApiTokenState = { ...prior };
    for (const key of Object.keys(planned) as (keyof ApiTokenState)[]) {
      const v = planned[key];
      if (!isUnknown(v)) (value as Record<keyof ApiTokenState, unknown>)[key] = v;
    }
    return { value };
  },

  async delete({ prior }, ctx) {
    const session = ctx.session();
    const problem = selfRevokeProblem(prior, session);
    if (problem) return { diagnostics: [problem] };
    const swept = await sweepLostCreate(prior, ctx);
    if (swept) return swept;
    // A placeholder with nothing to sweep: nothing was ever created, so there is nothing to revoke.
    if (prior.id === null || isPlaceholder(prior)) return {};
    try {
      // A revoke whose first attempt got lost and whose retry finds the token gone counts as done.
      await session.gateway().revokeApiToken(prior.id, { signal: ctx.signal });
    } catch (err) {
      if (!(err instanceof GatewayError && err.code === "not_found")) return { diagnostics: [gatewayDiagnostic(err, "revoking an API token")] };
      // Already gone counts as revoked — unless we are now someone else, whose list could never show it.
      await assertSameOwner(prior, ctx, "revoke");
    }
    return {};
  },

  async importState(id, ctx) {
    const trimmed = id.trim();
    if (!isUuid(trimmed)) {
      throw new DiagnosticError(error("Invalid import id",
        `${quoted(id)} is not an API token id. Import with the token's id (a UUID), as the Console or ListAPITokens shows it.`));
    }
    const session = ctx.session();
    const tokens = await callGateway("reading API tokens", () => session.gateway().listApiTokens({ signal: ctx.signal }));
    const found = tokens.find((t) => t.id === trimmed.toLowerCase());
    if (found) session.tokenClaims.claim(found.id);
    if (!found) {
      const me = await callGateway("reading the current user", () => session.callerIdentity(ctx.signal));
      throw new DiagnosticError(error("API token not found",
        `No API token with id ${trimmed} belongs to ${me.user?.username || "the caller"} (identity ${me.user?.identityId ?? "unknown"}), ` +
        "the identity the provider authenticates as. It may have been revoked, or belong to another user: a token can only be imported by its owner."));
    }
    // The Gateway keeps only a hash: the secret cannot be recovered.
    return { value: importedState(found, now(process.env, ctx.log)) };
  },
};
