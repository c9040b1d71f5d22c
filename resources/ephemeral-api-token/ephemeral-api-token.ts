// ephemeral "agyn_api_token": Open mints a token (CreateAPIToken) and hands Terraform the secret, which it
// keeps out of plan and state; Close revokes it (RevokeAPIToken). The arguments and their rules are the
// managed token's (../api-token/token-arguments.ts, ../api-token/expiry.ts). No Renew: the Gateway cannot
// extend a token, so the lifetime must cover the run.
import { GatewayError } from "../../gateway/gateway-error";
import { describeWindow } from "../../gateway/gateway-clock";
import type { ApiTokenRecord, MintedApiToken } from "../../gateway/records";
import { MintingFailed, mintApiToken } from "../../gateway/token-minting";
import { formatRfc3339 } from "../../gateway/instant";
import type { EphemeralResourceDefinition, OperationContext } from "../../provider/definition";
import { registerSecretValue } from "../../provider/logging/secret-redaction";
import { type Diagnostic, DiagnosticError, error, quoted, warning } from "../../schema/diagnostics";
import { expiryFor, isPast, lifetimeShortfallMs, pastExpiry, shortLifetimeWarning } from "../api-token/expiry";
import { mintingHistory, settledMintingFailure } from "../api-token/lost-create";
import { expirySettingsProblems } from "../api-token/token-arguments";
import { now } from "../clock";
import type { AgynSession } from "../configuration/session";
import { gatewayDiagnostic } from "../gateway-calls/gateway-diagnostics";
import { DEFAULT_RUN_TOKEN_LIFETIME, type EphemeralApiTokenValues, ephemeralApiTokenSchema } from "./ephemeral-api-token-schema";
import { rememberRunToken, type OpenRunToken, takeRunToken } from "./open-run-tokens";
import { decodeRunTokenHandle, encodeRunTokenHandle, type RunTokenHandle } from "./run-token-handle";

export const ephemeralApiToken: EphemeralResourceDefinition<AgynSession, typeof ephemeralApiTokenSchema> = {
  typeName: "agyn_api_token",
  schema: ephemeralApiTokenSchema,

  validateConfig: (config) => expirySettingsProblems(config),

  async open({ config }, ctx) {
    const session = ctx.session();
    const clock = now(process.env, ctx.log);
    const lifetime = config.expires_at === null ? (config.expires_in ?? DEFAULT_RUN_TOKEN_LIFETIME) : null;
    const expiry = expiryFor({ expires_at: config.expires_at, expires_in: lifetime }, clock);
    if (!expiry) throw new Error("a run token always gets an expiry");
    if (isPast(expiry.instant, clock)) return { diagnostics: [pastExpiry(expiry.text, false)] };

    // Stop cancels only the waits between attempts: a token the Gateway minted must reach Close (or be
    // revoked below). After a lost answer, mintApiToken revokes what the lost attempt made before it retries.
    let created: MintedApiToken;
    try {
      created = (await mintApiToken(session.gateway(), { name: config.description, expiresAt: expiry.instant }, session.tokenClaims,
        { signal: ctx.signal })).minted;
    } catch (err) {
      if (err instanceof MintingFailed) return { diagnostics: [runTokenMintingFailure(err, config.description, expiry.text)] };
      throw err;
    }
    const token = created.token;
    if (!token || !created.plaintext) return { diagnostics: [await revokeIncomplete(token, session)] };
    registerSecretValue(created.plaintext);

    const expiresAt = config.expires_at ?? expiry.text;
    const key = rememberRunToken({ secret: created.plaintext, connect: session.connectAs() });
    ctx.log.info("opened a run token", { id: token.id, expires_at: expiresAt });
    const shortfall = lifetime === null ? 0 : lifetimeShortfallMs(expiry.instant, token.createdAt, lifetime);
    return {
      result: {
        description: config.description,
        expires_in: config.expires_in,
        expires_at: expiresAt,
        token: created.plaintext,
        id: token.id,
        token_prefix: token.tokenPrefix,
        identity_id: token.identityId,
        created_at: token.createdAt === null ? null : formatRfc3339(token.createdAt),
      } satisfies EphemeralApiTokenValues,
      private: encodeRunTokenHandle({ key, id: token.id, prefix: token.tokenPrefix, expiresAt }),
      diagnostics: shortfall > 0 ? [shortLifetimeWarning(shortfall, expiresAt)] : [],
    };
  },

  async close({ private: bytes }, ctx) {
    const handle = await decodeRunTokenHandle(bytes);
    // An Open that failed hands over no private bytes: nothing was minted, so nothing is revoked.
    if (handle === "none") return {};
    if (handle === "unreadable") {
      return { diagnostics: [warning("Cannot tell which run token to close",
        "Terraform asked to close an ephemeral agyn_api_token with private data this provider did not write, so it cannot tell which token to revoke. " +
          "Any run token it minted expires on its own; check the Console's token list.")] };
    }
    const held = takeRunToken(handle.key);
    try {
      await revoke(handle, held, ctx);
      ctx.log.info("closed a run token: revoked", { id: handle.id });
      return {};
    } catch (err) {
      // Already gone counts as revoked. Authenticating as the token itself, "unauthenticated" says the same:
      // the Gateway no longer knows the token, or it has expired.
      if (err instanceof GatewayError && (err.code === "not_found" || (held?.connect && err.code === "unauthenticated"))) {
        ctx.log.info("closed a run token: already revoked or expired", { id: handle.id });
        return {};
      }
      return { diagnostics: [notRevoked(handle, err)] };
    }
  },
};

/** Revokes as the token itself when this process holds it; else with the provider's configured credentials. */
async function revoke(handle: RunTokenHandle, held: OpenRunToken | undefined, ctx: OperationContext<AgynSession>): Promise<void> {
  if (held?.connect) {
    const asItself = held.connect(held.secret);
    try {
      await asItself.revokeApiToken(handle.id);
    } finally {
      asItself.close();
    }
    return;
  }
  const session = ctx.sessionIfConfigured();
  if (!session) throw new DiagnosticError(error("The provider is not configured", "There is no Gateway session to revoke the token with."));
  await session.gateway().revokeApiToken(handle.id);
}

/** A warning, not an error: the run's real work is done, and the token's expiry bounds what is left. */
function notRevoked(handle: RunTokenHandle, err: unknown): Diagnostic {
  const cause = err instanceof DiagnosticError || err instanceof GatewayError ? gatewayDiagnostic(err, "revoking a run token") : undefined;
  if (!cause) throw err;
  return warning("Run token not revoked",
    `Closing ephemeral agyn_api_token could not revoke token ${handle.id} (prefix ${handle.prefix}): ${cause.detail ?? cause.summary}\n\n` +
      `It stays usable until it expires at ${handle.expiresAt}. To end it sooner, revoke it in the Console, or with ` +
      "RevokeAPIToken once the Gateway is reachable.");
}

/**
 * CreateAPIToken failed for good. When even the check after a lost answer failed, a token nobody holds may
 * exist; a run token has no state to record it in, so the message names it and its expiry bounds it.
 */
function runTokenMintingFailure(failure: MintingFailed, description: string, expiresAt: string): Diagnostic {
  if (!failure.unresolved) return settledMintingFailure(failure, "creating a run token");
  const cause = gatewayDiagnostic(failure.lastError, "creating a run token");
  const check = gatewayDiagnostic(failure.unresolved.error, "listing API tokens");
  const history = mintingHistory(failure);
  return error("Run token creation failed; a token may have been created",
    `${cause.detail ?? cause.summary}${history ? `\n\n${history}` : ""}\n\nChecking whether the Gateway made a token anyway failed too: ` +
      `${check.detail ?? check.summary}\n\nSo the Gateway may hold a token named ${quoted(description)}, created ${describeWindow(failure.unresolved.window)}, ` +
      `whose secret nobody has. It expires at ${expiresAt}; revoke it in the Console to end it sooner.`);
}

/** The Gateway answered CreateAPIToken without the secret or the token's id: revoke what can be, and fail Open. */
async function revokeIncomplete(token: ApiTokenRecord | null, session: AgynSession): Promise<Diagnostic> {
  if (!token) {
    return error("Run token creation failed", "The Gateway answered CreateAPIToken without the token. If a token was created, it expires on its own; revoke it in the Console to end it sooner.");
  }
  try {
    await session.gateway().revokeApiToken(token.id);
    return error("Run token creation failed; the new token was revoked",
      `The Gateway created token ${token.id} (prefix ${token.tokenPrefix}) but did not return its secret, so it was revoked again.`);
  } catch (err) {
    const d = gatewayDiagnostic(err, "revoking the incomplete run token");
    return error("Run token creation failed and the token could not be revoked",
      `The Gateway created token ${token.id} (prefix ${token.tokenPrefix}) but did not return its secret, and revoking it failed: ${d.detail ?? d.summary}. ` +
        `It expires at ${token.expiresAt ? formatRfc3339(token.expiresAt) : "its expiry"}; revoke it in the Console to end it sooner.`);
  }
}
