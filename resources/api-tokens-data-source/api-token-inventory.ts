// The caller's API tokens as data "agyn_api_tokens" lists them: the Console's columns and the audit filters.
// Pure functions of the Gateway's answer and "now", so every rule is unit-tested without a Gateway.
import { parseGoDuration } from "../go-duration";
import { addMilliseconds, compareInstants, formatRfc3339, type Instant } from "../../gateway/instant";
import type { ApiTokenRecord } from "../../gateway/records";
import { quoted } from "../../schema/diagnostics";
import type { ApiTokenRow, ApiTokensValues } from "./api-tokens-schema";

export interface InventoryFilters {
  readonly descriptionPrefix?: string;
  readonly expired?: boolean;
  /** Milliseconds; keeps tokens whose last use (or creation, if never used) is at least this long ago. */
  readonly unusedSinceMs?: number;
}

/** Why an unused_since value is unusable, or undefined when it is fine. Zero is allowed: it keeps every token. */
export function unusedSinceProblem(text: string): string | undefined {
  const negative = text.trim().startsWith("-");
  if (parseGoDuration(negative ? text.trim().slice(1) : text) === undefined) {
    return `${quoted(text)} is not a duration. Use Go's duration syntax, e.g. "720h" (30 days) or "2160h" (90 days).`;
  }
  if (negative) return `${quoted(text)} is negative. Give how long ago the last use must be, e.g. "720h".`;
  return undefined;
}

/** The filters a (known) configuration asks for; null attributes filter nothing. */
export function filtersFromConfig(config: ApiTokensValues): InventoryFilters {
  const unusedSince = typeof config.unused_since === "string" ? parseGoDuration(config.unused_since) : undefined;
  return {
    descriptionPrefix: typeof config.description_prefix === "string" ? config.description_prefix : undefined,
    expired: typeof config.expired === "boolean" ? config.expired : undefined,
    unusedSinceMs: unusedSince,
  };
}

/** One row of the inventory. Absent timestamps (the Gateway omits zero ones) are null. */
export function inventoryRow(t: ApiTokenRecord, now: Instant): ApiTokenRow {
  return {
    id: t.id,
    description: t.name,
    token_prefix: t.tokenPrefix,
    created_at: formatted(t.createdAt),
    last_used_at: formatted(t.lastUsedAt),
    expires_at: formatted(t.expiresAt),
    expired: isExpired(t, now),
  };
}

/** The rows that pass every filter (AND), in the Gateway's order: newest first. */
export function selectTokens(tokens: readonly ApiTokenRecord[], filters: InventoryFilters, now: Instant): ApiTokenRow[] {
  return tokens.filter((t) => matches(t, filters, now)).map((t) => inventoryRow(t, now));
}

function matches(t: ApiTokenRecord, f: InventoryFilters, now: Instant): boolean {
  if (f.descriptionPrefix !== undefined && !t.name.startsWith(f.descriptionPrefix)) return false;
  if (f.expired !== undefined && isExpired(t, now) !== f.expired) return false;
  if (f.unusedSinceMs !== undefined && !unusedFor(t, f.unusedSinceMs, now)) return false;
  return true;
}

/** Same rule as agyn_api_token's `expired`: the expiry is at or before now. */
function isExpired(t: ApiTokenRecord, now: Instant): boolean {
  return t.expiresAt !== null && compareInstants(t.expiresAt, now) <= 0;
}

function unusedFor(t: ApiTokenRecord, ms: number, now: Instant): boolean {
  const lastActivity = t.lastUsedAt ?? t.createdAt;
  // Neither timestamp means both were unset on the Gateway: as old as a token can be.
  if (lastActivity === null) return true;
  return compareInstants(addMilliseconds(lastActivity, ms), now) <= 0;
}

function formatted(instant: Instant | null): string | null {
  return instant === null ? null : formatRfc3339(instant);
}
