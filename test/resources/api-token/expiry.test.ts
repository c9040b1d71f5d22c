// agyn_api_token's expiry rules as pure functions of the settings and "now".
import { formatRfc3339, parseRfc3339 } from "../../../gateway/instant";
import { expiryFor, isPast, pastExpiry, rotationDue } from "../../../resources/api-token/expiry";

const NOW = parseRfc3339("2030-06-01T12:00:00.123Z")!;

describe("expiryFor", () => {
  it("expires_in counts from now, in whole microseconds (the Gateway's precision)", () => {
    const e = expiryFor({ expires_in: "1h0.0005ms", expires_at: null }, NOW)!;
    expect(e.text).toBe("2030-06-01T13:00:00.123Z");
    expect(formatRfc3339(e.instant)).toBe(e.text);
    expect(expiryFor({ expires_in: "1h0.5ms", expires_at: null }, NOW)!.text).toBe("2030-06-01T13:00:00.123500Z");
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
