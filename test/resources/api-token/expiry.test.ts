// agyn_api_token's expiry rules as pure functions of the settings and "now" — and an expires_in token never
// lives less than expires_in after the Gateway's created_at, although the provider fixes the instant before
// the Gateway records the creation.
import { addMilliseconds, compareInstants, formatRfc3339, type Instant, parseRfc3339 } from "../../../gateway/instant";
import type { MintedApiToken } from "../../../gateway/records";
import { apiTokenResource } from "../../../resources/api-token/api-token-resource";
import type { ApiTokenApply } from "../../../resources/api-token/api-token-schema";
import { expiryFor, isPast, lifetimeShortfallMs, pastExpiry, rotationDue } from "../../../resources/api-token/expiry";
import { unknown, unknownsAsNull } from "../../../schema/cty";
import { contextWith } from "../../support/operation-context";

const NOW = parseRfc3339("2030-06-01T12:00:00.123Z")!;

describe("expiryFor", () => {
  it("expires_in counts from now plus one second of slack, in whole microseconds (the Gateway's precision)", () => {
    const e = expiryFor({ expires_in: "1h0.0005ms", expires_at: null }, NOW)!;
    expect(e.text).toBe("2030-06-01T13:00:01.123Z");
    expect(formatRfc3339(e.instant)).toBe(e.text);
    expect(expiryFor({ expires_in: "1h0.5ms", expires_at: null }, NOW)!.text).toBe("2030-06-01T13:00:01.123500Z");
  });

  it("expires_at keeps the configured spelling; neither means a long-lived token", () => {
    const e = expiryFor({ expires_in: null, expires_at: "2030-06-02T00:00:00+02:00" }, NOW)!;
    expect(e.text).toBe("2030-06-02T00:00:00+02:00");
    expect(formatRfc3339(e.instant)).toBe("2030-06-01T22:00:00Z");
    expect(expiryFor({ expires_in: null, expires_at: null }, NOW)).toBeUndefined();
  });
});

describe("rotationDue", () => {
  const at = (text: string) => text;
  it("replaces a relative expiry inside its window or past, warns for a fixed one, else leaves it", () => {
    expect(rotationDue(at("2030-06-01T12:30:00Z"), { rotate_before: "1h", expires_in: "2h" }, NOW)).toBe("replace");
    expect(rotationDue(at("2030-06-01T11:00:00Z"), { rotate_before: null, expires_in: "2h" }, NOW)).toBe("replace");
    expect(rotationDue(at("2030-06-01T12:30:00Z"), { rotate_before: "1h", expires_in: null }, NOW)).toBe("warn");
    expect(rotationDue(at("2030-06-01T15:00:00Z"), { rotate_before: "1h", expires_in: "4h" }, NOW)).toBeUndefined();
    expect(rotationDue(at("2030-06-01T11:00:00Z"), { rotate_before: null, expires_in: null }, NOW)).toBeUndefined();
    expect(rotationDue(null, { rotate_before: "1h", expires_in: "2h" }, NOW)).toBeUndefined();
  });

  it("the window's edge counts as inside", () => {
    expect(rotationDue(at("2030-06-01T13:00:00.123Z"), { rotate_before: "1h", expires_in: "2h" }, NOW)).toBe("replace");
    expect(rotationDue(at("2030-06-01T13:00:00.124Z"), { rotate_before: "1h", expires_in: "2h" }, NOW)).toBeUndefined();
  });
});

describe("past expiries", () => {
  it("an instant at or before now is past, and the refusal points at expires_at", () => {
    expect(isPast(NOW, NOW)).toBe(true);
    expect(isPast(parseRfc3339("2030-06-01T12:00:00.124Z")!, NOW)).toBe(false);
    expect(pastExpiry("2020-01-01T00:00:00Z")).toMatchObject({ severity: "error", path: [{ attr: "expires_at" }] });
  });
});

const HOUR = 3600_000;
const at = (text: string): Instant => parseRfc3339(text)!;
const millisBetween = (a: Instant, b: Instant) =>
  Number(b.seconds - a.seconds) * 1000 + (b.nanos - a.nanos) / 1e6;

describe("expiryFor and the creation time the Gateway records", () => {
  it("keeps a configured expires_at exactly as written", () => {
    expect(expiryFor({ expires_at: "2030-01-01T00:00:00+02:00", expires_in: null }, at("2029-01-01T00:00:00Z"))?.text)
      .toBe("2030-01-01T00:00:00+02:00");
  });

  it("is undefined for a token that does not expire", () => {
    expect(expiryFor({ expires_at: null, expires_in: null }, at("2029-01-01T00:00:00Z"))).toBeUndefined();
  });

  it.each([
    ["2029-01-01T00:00:00Z"],
    ["2029-01-01T00:00:00.999999Z"],
    ["2029-01-01T00:00:00.000001500Z"],
  ])("gives an expires_in token one second of slack after %s, in whole microseconds", (clockText) => {
    const clock = at(clockText);
    const expiry = expiryFor({ expires_at: null, expires_in: "1h" }, clock)!;
    expect(expiry.instant.nanos % 1000).toBe(0);
    expect(formatRfc3339(expiry.instant)).toBe(expiry.text);
    const slack = millisBetween(addMilliseconds(clock, HOUR), expiry.instant);
    expect(slack).toBeGreaterThan(999.999);
    expect(slack).toBeLessThanOrEqual(1000);
  });
});

describe("lifetimeShortfallMs", () => {
  it("is 0 while the expiry is at least expires_in after created_at, and the missing time otherwise", () => {
    const expiry = at("2029-01-01T01:00:01Z");
    expect(lifetimeShortfallMs(expiry, at("2029-01-01T00:00:01Z"), "1h")).toBe(0);
    expect(lifetimeShortfallMs(expiry, at("2029-01-01T00:00:00Z"), "1h")).toBe(0);
    expect(lifetimeShortfallMs(expiry, at("2029-01-01T00:00:03.5Z"), "1h")).toBe(2500);
    expect(lifetimeShortfallMs(expiry, null, "1h")).toBe(0);
  });
});

describe("agyn_api_token create with expires_in", () => {
  const planned: ApiTokenApply = {
    id: unknown, description: "ci", expires_at: unknown, expires_in: "1h", rotate_before: null, allow_self_revoke: null,
    token: unknown, token_prefix: unknown, identity_id: unknown, created_at: unknown, last_used_at: unknown, expired: unknown,
  };

  /**
   * A Gateway that records the creation `latencyMs` after the request left the provider, as a real one does; its
   * clock reads `now` (RFC 3339) when given, else the real time.
   */
  function gatewayWithLatency(latencyMs: number, now?: string) {
    const seen: { expiresAt?: Instant } = {};
    const createApiToken = async ({ expiresAt }: { name: string; expiresAt?: Instant }): Promise<MintedApiToken> => {
      seen.expiresAt = expiresAt;
      const createdAt = addMilliseconds(at(now ?? new Date().toISOString()), latencyMs);
      return {
        token: { id: "7d1f6a0e-1b2c-4d3e-8f40-5a6b7c8d9e0f", name: "ci", identityId: "owner", tokenPrefix: "agyn_abc", createdAt, lastUsedAt: null, expiresAt: expiresAt ?? null },
        plaintext: "agyn_" + "x".repeat(44),
      };
    };
    return { seen, ctx: contextWith({ createApiToken }) };
  }

  it("records an expires_at no earlier than created_at + expires_in (the Gateway creates after the provider's clock reading)", async () => {
    const { ctx } = gatewayWithLatency(300);
    const r = await apiTokenResource.create({ planned, config: { ...unknownsAsNull(planned), description: "ci" } }, ctx);
    expect(r.diagnostics ?? []).toEqual([]);
    const createdAt = at(String(r.value?.created_at));
    const expiresAt = at(String(r.value?.expires_at));
    expect(compareInstants(expiresAt, addMilliseconds(createdAt, HOUR))).toBeGreaterThanOrEqual(0);
  });

  it("warns, naming the shortfall, when the Gateway's clock runs too far ahead for the slack", async () => {
    // Both clocks frozen (the provider's through its test clock), so the shortfall is exactly 5 min less the 1 s
    // slack: with the real clock, a millisecond between the two readings rounded it up to 300 s on a loaded machine.
    const frozen = "2026-06-01T12:00:00Z";
    const saved = { now: process.env.AGYN_PROVIDER_TEST_NOW, acc: process.env.TF_ACC };
    process.env.AGYN_PROVIDER_TEST_NOW = frozen;
    process.env.TF_ACC = "1";
    try {
      const { ctx } = gatewayWithLatency(5 * 60_000, frozen);
      const r = await apiTokenResource.create({ planned, config: { ...unknownsAsNull(planned), description: "ci" } }, ctx);
      expect(r.value?.token_prefix).toBe("agyn_abc");
      expect(r.diagnostics?.map((d) => [d.severity, d.summary])).toEqual([["warning", "API token expires sooner than expires_in"]]);
      expect(r.diagnostics?.[0].detail).toMatch(/about 299 s sooner/);
      expect(r.diagnostics?.[0].path).toEqual([{ attr: "expires_in" }]);
    } finally {
      for (const [name, value] of [["AGYN_PROVIDER_TEST_NOW", saved.now], ["TF_ACC", saved.acc]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
