// agyn_api_token's expiry rules, as pure functions of the settings and "now": the instant a token is minted
// to expire at, whether a plan must rotate it, and the refusal of an expiry already past.
import { addMilliseconds, compareInstants, formatRfc3339, type Instant, parseRfc3339 } from "../../gateway/instant";
import { type Diagnostic, error, warning } from "../../schema/diagnostics";
import { parseGoDuration } from "../go-duration";

export interface ExpirySettings {
  readonly expires_at: unknown;
  readonly expires_in: unknown;
}

/**
 * Slack added to an expires_in lifetime. The provider must fix the instant before it sends CreateAPIToken,
 * and the Gateway records created_at when the request arrives: without slack the token would live slightly
 * less than expires_in after its created_at. One second covers the request's trip; a Gateway clock further
 * ahead is reported (lifetimeShortfallMs).
 */
export const EXPIRES_IN_SLACK_MS = 1000;

/** The expiry a token minted now gets, with the text state records for it; undefined for a long-lived token. */
export function expiryFor(settings: ExpirySettings, clock: Instant): { instant: Instant; text: string } | undefined {
  if (typeof settings.expires_in === "string") {
    const instant = addMilliseconds(clock, (parseGoDuration(settings.expires_in) ?? 0) + EXPIRES_IN_SLACK_MS);
    // Whole microseconds: the Gateway's precision, so state and Gateway agree exactly.
    const micro = { seconds: instant.seconds, nanos: Math.floor(instant.nanos / 1000) * 1000 };
    return { instant: micro, text: formatRfc3339(micro) };
  }
  if (typeof settings.expires_at === "string") {
    const instant = parseRfc3339(settings.expires_at);
    if (instant) return { instant, text: settings.expires_at };
  }
  return undefined;
}

/**
 * How much sooner than `expiresIn` after the Gateway's created_at the token expires (0 when it does not):
 * non-zero only when the Gateway's clock is ahead of the provider's by more than the slack.
 */
export function lifetimeShortfallMs(expiresAt: Instant, createdAt: Instant | null, expiresIn: string): number {
  const lifetime = parseGoDuration(expiresIn);
  if (createdAt === null || lifetime === undefined) return 0;
  const wanted = addMilliseconds(createdAt, lifetime);
  if (compareInstants(expiresAt, wanted) >= 0) return 0;
  return Number(wanted.seconds - expiresAt.seconds) * 1000 + Math.round((wanted.nanos - expiresAt.nanos) / 1e6);
}

/** The warning for a token whose Gateway clock ran ahead: the token works, for a little less time than asked. */
export function shortLifetimeWarning(shortfallMs: number, expiresAt: string): Diagnostic {
  return warning("API token expires sooner than expires_in",
    `The token expires at ${expiresAt}, about ${Math.ceil(shortfallMs / 1000)} s sooner than expires_in after the creation time the Gateway recorded: ` +
      "the Gateway's clock is ahead of this machine's. Check the clock synchronisation (NTP) of both.",
    [{ attr: "expires_in" }]);
}

/**
 * "replace" when a relative expiry (expires_in) is inside its rotation window or past; "warn" when a fixed
 * expires_at is (replacing could only recreate the same expiry, or fail on a past one).
 */
export function rotationDue(
  expiresAt: unknown,
  settings: { readonly rotate_before: unknown; readonly expires_in: unknown },
  clock: Instant,
): "replace" | "warn" | undefined {
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

export function isPast(instant: Instant, clock: Instant): boolean {
  return compareInstants(instant, clock) <= 0;
}

/** `managed`: the hint for a destroy whose refresh found the token gone applies (resource "agyn_api_token"). */
export function pastExpiry(expiresAt: string, managed = true): Diagnostic {
  return error("expires_at must be in the future",
    `The token would expire at ${expiresAt}, which is not in the future, so the Gateway would refuse to create it. Set a later expires_at, or use expires_in.` +
      (managed ? " (If you are running terraform destroy and this token is already gone from the Gateway, use terraform destroy -refresh=false.)" : ""),
    [{ attr: "expires_at" }]);
}
