// resource "agyn_api_token": CreateAPIToken / ListAPITokens / RevokeAPIToken. The Gateway has no get or
// update for tokens, so Read lists and finds by id, and every defining input replaces the token.
import { GatewayError } from "../../gateway/gateway-error";
import { CtyObject, CtyValue, isUnknown, unknown, unknownsAsNull } from "../../schema/cty";
import { apiTokenSchema } from "./api-token-schema";
import type { OperationContext, ResourceDefinition } from "../../provider/definition";
import { Diagnostic, DiagnosticError, error, warning } from "../../schema/diagnostics";
import { now } from "../clock";
import { callGateway, gatewayDiagnostic } from "../gateway-calls/gateway-diagnostics";
import { parseGoDuration } from "../go-duration";
import { addMilliseconds, compareInstants, formatRfc3339, Instant, parseRfc3339 } from "../../gateway/instant";
import type { ApiTokenRecord } from "../../gateway/records";
import { selfRevokeProblem } from "./self-revoke-guard";
import type { AgynSession } from "../configuration/session";
import { isUuid } from "../../gateway/identifiers";

type Ctx = OperationContext<AgynSession>;

export const apiTokenResource: ResourceDefinition<AgynSession> = {
  typeName: "agyn_api_token",
  schema: apiTokenSchema,

  validateConfig(config) {
    const out: Diagnostic[] = [];
    const set = (name: string) => config[name] !== null && config[name] !== undefined;
    if (set("expires_at") && set("expires_in")) {
      out.push(error("Conflicting expiry settings", "Set expires_at or expires_in, not both.", [{ attr: "expires_in" }]));
    }
    if (set("rotate_before") && !set("expires_at") && !set("expires_in")) {
      out.push(error("rotate_before needs an expiry",
        "rotate_before replaces the token before it expires, so the token needs expires_in (or expires_at).", [{ attr: "rotate_before" }]));
    }
    return out;
  },

  async modifyPlan({ prior, config, planned }, ctx) {
    if (planned === null) {
      // Destroy plan (Terraform >= 1.3 asks us): refuse early if this is the provider's own token.
      const problem = prior ? selfRevokeProblem(prior, ctx.session()) : undefined;
      return { diagnostics: problem ? [problem] : [] };
    }
    const diagnostics: Diagnostic[] = [];
    const clock = now(process.env, ctx.log);
    if (prior === null) {
      // Creating (or the create half of a replacement): a fixed expiry must still be ahead.
      const expiresAt = planned.expires_at;
      if (typeof expiresAt === "string" && config?.expires_at !== null) {
        const at = parseRfc3339(expiresAt);
        if (at && compareInstants(at, clock) <= 0) diagnostics.push(pastExpiry(expiresAt));
      }
      return { planned, diagnostics };
    }
    const rotation = rotationDue(prior.expires_at, planned, clock);
    if (rotation === "replace") {
      ctx.log.info("token is inside its rotation window; planning a replacement", { id: String(prior.id) });
      return { planned: { ...planned, token: unknown }, requiresReplace: [[{ attr: "token" }]], diagnostics };
    }
    if (rotation === "warn") {
      diagnostics.push(warning("API token is due for rotation",
        `This token expires at ${String(prior.expires_at)}, within rotate_before. Its expiry is fixed by expires_at, so a replacement would expire at the same moment: set a later expires_at (or use expires_in) to rotate it.`,
        [{ attr: "expires_at" }]));
    }
    return { planned, diagnostics };
  },

  async create({ planned }, ctx) {
    const gateway = ctx.session().gateway();
    const clock = now(process.env, ctx.log);
    const expiry = expiryFor(planned, clock);
    if (expiry && compareInstants(expiry.instant, clock) <= 0) throw new DiagnosticError(pastExpiry(expiry.text));
    // Never pass the Stop signal here: a create that reached the Gateway must be recorded, not abandoned.
    const created = await callGateway("creating an API token", () =>
      gateway.createApiToken({
        name: String(planned.description),
        expiresAt: expiry?.instant,
      }));
    const token = created.token;
    try {
      if (!token || !created.plaintext) throw new Error("the Gateway's answer lacks the token or its id");
      return {
        value: {
          ...planned,
          ...stateFromGateway(token, planned, clock),
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
    const gateway = ctx.session().gateway();
    const tokens = await callGateway("reading API tokens", () => gateway.listApiTokens({ signal: ctx.signal }));
    const found = tokens.find((t) => t.id === state.id);
    if (!found) {
      await assertSameOwner(state, ctx, "read");
      ctx.log.info("API token no longer exists; removing it from state", { id: String(state.id) });
      return { value: null };
    }
    return { value: { ...state, ...stateFromGateway(found, state, now(process.env, ctx.log)) } };
  },

  async update({ prior, planned }) {
    // Only provider-side settings (rotate_before, allow_self_revoke) change in place; the token is untouched.
    const value: CtyObject = { ...prior };
    for (const [k, v] of Object.entries(planned)) if (!isUnknown(v)) value[k] = v;
    return { value };
  },

  async delete({ prior }, ctx) {
    const session = ctx.session();
    const problem = selfRevokeProblem(prior, session);
    if (problem) return { diagnostics: [problem] };
    const gateway = session.gateway();
    try {
      await gateway.revokeApiToken(String(prior.id));
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
        `"${id}" is not an API token id. Import with the token's id (a UUID), as the Console or ListAPITokens shows it.`));
    }
    const gateway = ctx.session().gateway();
    const tokens = await callGateway("reading API tokens", () => gateway.listApiTokens({ signal: ctx.signal }));
    const found = tokens.find((t) => t.id === trimmed.toLowerCase());
    if (!found) {
      const me = await callGateway("reading the current user", () => gateway.getMe({ signal: ctx.signal }));
      throw new DiagnosticError(error("API token not found",
        `No API token with id ${trimmed} belongs to ${me.user?.username || "the caller"} (identity ${me.user?.identityId ?? "unknown"}), ` +
        "the identity the provider authenticates as. It may have been revoked, or belong to another user: a token can only be imported by its owner."));
    }
    return {
      value: {
        ...stateFromGateway(found, null, now(process.env, ctx.log)),
        description: found.name,
        token: null, // the Gateway keeps only a hash; the secret cannot be recovered
        expires_in: null,
        rotate_before: null,
        allow_self_revoke: null,
      },
    };
  },
};

/** The Gateway's view of a token, keeping the state's spelling of an unchanged expiry. */
function stateFromGateway(t: ApiTokenRecord, current: CtyObject | null, clock: Instant): CtyObject {
  const expiry = t.expiresAt ?? undefined;
  const currentExpiry = typeof current?.expires_at === "string" ? parseRfc3339(current.expires_at) : undefined;
  const expiresAt = expiry === undefined ? null
    : currentExpiry && compareInstants(currentExpiry, expiry) === 0 ? (current!.expires_at as string)
    : formatRfc3339(expiry);
  return {
    id: t.id,
    description: current?.description ?? t.name,
    identity_id: t.identityId,
    token_prefix: t.tokenPrefix,
    created_at: t.createdAt ? formatRfc3339(t.createdAt) : null,
    last_used_at: t.lastUsedAt ? formatRfc3339(t.lastUsedAt) : null,
    expires_at: expiresAt,
    expired: expiry !== undefined && compareInstants(expiry, clock) <= 0,
  };
}

function expiryFor(planned: CtyObject, clock: Instant): { instant: Instant; text: string } | undefined {
  if (typeof planned.expires_in === "string") {
    const instant = addMilliseconds(clock, parseGoDuration(planned.expires_in) ?? 0);
    // Whole microseconds: the Gateway's precision, so state and Gateway agree exactly.
    const micro = { seconds: instant.seconds, nanos: Math.floor(instant.nanos / 1000) * 1000 };
    return { instant: micro, text: formatRfc3339(micro) };
  }
  if (typeof planned.expires_at === "string") {
    const instant = parseRfc3339(planned.expires_at);
    if (instant) return { instant, text: planned.expires_at };
  }
  return undefined;
}

/**
 * "replace" when a relative expiry (expires_in) is inside its rotation window or past; "warn" when a fixed
 * expires_at is (replacing could only recreate the same expiry, or fail on a past one).
 */
function rotationDue(expiresAt: CtyValue, settings: CtyObject, clock: Instant): "replace" | "warn" | undefined {
  const expiry = typeof expiresAt === "string" ? parseRfc3339(expiresAt) : undefined;
  if (!expiry) return undefined;
  // The settings as planned now, so adding rotate_before to an old token takes effect in the same plan.
  const window = typeof settings.rotate_before === "string" ? parseGoDuration(settings.rotate_before) : undefined;
  const relative = typeof settings.expires_in === "string";
  if (window === undefined && !relative) return undefined;
  const due = compareInstants(addMilliseconds(expiry, -(window ?? 0)), clock) <= 0;
  if (!due) return undefined;
  return relative ? "replace" : window !== undefined ? "warn" : undefined;
}

async function assertSameOwner(state: CtyObject, ctx: Ctx, doing: "read" | "revoke"): Promise<void> {
  const gateway = ctx.session().gateway();
  const me = await callGateway("reading the current user", () => gateway.getMe());
  const caller = me.user?.identityId;
  if (state.identity_id && caller && caller !== state.identity_id) {
    throw new DiagnosticError(error("API token belongs to another identity",
      `This token (id ${String(state.id)}, prefix ${String(state.token_prefix)}) belongs to identity ${String(state.identity_id)}, but the provider now authenticates as ${me.user?.username || caller} (identity ${caller}). ` +
      `The Gateway only lets a token's owner ${doing} it, so the provider cannot tell whether it still exists and keeps it in state rather than orphan a live secret. ` +
      "Configure the provider with the owner's token (or profile) again."));
  }
}

async function revokeAfterFailedCreate(token: ApiTokenRecord | null, planned: CtyObject, cause: unknown, ctx: Ctx) {
  const reason = cause instanceof Error ? cause.message : String(cause);
  if (!token) {
    return { diagnostics: [error("API token creation failed", `The Gateway answered CreateAPIToken unexpectedly: ${reason}. If a token was created, revoke it in the Console.`)] };
  }
  try {
    await ctx.session().gateway().revokeApiToken(token.id);
    return { diagnostics: [error("API token creation failed; the new token was revoked",
      `The Gateway created token ${token.id} (prefix ${token.tokenPrefix}), but the provider could not finish: ${reason}. It revoked the token again so no secret is orphaned.`)] };
  } catch (revokeError) {
    const d = gatewayDiagnostic(revokeError, "revoking the half-created token");
    return {
      // The configured settings as planned, what the Gateway said about the token, and no secret.
      value: {
        ...unknownsAsNull(planned),
        id: token.id, identity_id: token.identityId, token_prefix: token.tokenPrefix, token: null,
        expires_at: token.expiresAt ? formatRfc3339(token.expiresAt) : null,
        created_at: token.createdAt ? formatRfc3339(token.createdAt) : null, last_used_at: null, expired: false,
      },
      diagnostics: [error("API token creation failed and the token could not be revoked",
        `The Gateway created token ${token.id} (prefix ${token.tokenPrefix}), but the provider could not finish (${reason}) and revoking it failed too: ${d.detail ?? d.summary}. It is recorded in state (tainted) so the next apply replaces and revokes it.`)],
    };
  }
}

function pastExpiry(expiresAt: string): Diagnostic {
  return error("expires_at must be in the future",
    `The token would expire at ${expiresAt}, which is not in the future, so the Gateway would refuse to create it. Set a later expires_at, or use expires_in. ` +
      "(If you are running terraform destroy and this token is already gone from the Gateway, use terraform destroy -refresh=false.)",
    [{ attr: "expires_at" }]);
}

