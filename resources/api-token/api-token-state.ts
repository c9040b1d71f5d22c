// agyn_api_token state from what the Gateway says about a token: pure functions of the record, the state
// (whose spelling of an unchanged expiry is kept) and "now".
import { compareInstants, formatRfc3339, type Instant, parseRfc3339 } from "../../gateway/instant";
import type { ApiTokenRecord } from "../../gateway/records";
import type { ApiTokenState } from "./api-token-schema";

/** The attributes the Gateway decides. */
export type GatewayAttributes = Pick<ApiTokenState,
  "id" | "description" | "identity_id" | "token_prefix" | "created_at" | "last_used_at" | "expires_at" | "expired">;

const formatted = (instant: Instant | null) => (instant === null ? null : formatRfc3339(instant));

/** The Gateway's view of a token, keeping the state's description and spelling of an unchanged expiry. */
export function gatewayAttributes(t: ApiTokenRecord, current: { description: string; expires_at: string | null } | null, clock: Instant): GatewayAttributes {
  const currentExpiry = current?.expires_at ? parseRfc3339(current.expires_at) : undefined;
  const expiresAt = t.expiresAt === null ? null
    : currentExpiry && compareInstants(currentExpiry, t.expiresAt) === 0 ? current!.expires_at
    : formatRfc3339(t.expiresAt);
  return {
    id: t.id,
    description: current?.description ?? t.name,
    identity_id: t.identityId,
    token_prefix: t.tokenPrefix,
    created_at: formatted(t.createdAt),
    last_used_at: formatted(t.lastUsedAt),
    expires_at: expiresAt,
    expired: t.expiresAt !== null && compareInstants(t.expiresAt, clock) <= 0,
  };
}

/** An imported token: what the Gateway lists, no secret (it keeps only a hash) and no settings. */
export function importedState(t: ApiTokenRecord, clock: Instant): ApiTokenState {
  return {
    ...gatewayAttributes(t, null, clock),
    token: null,
    expires_in: null,
    rotate_before: null,
    allow_self_revoke: null,
  };
}
