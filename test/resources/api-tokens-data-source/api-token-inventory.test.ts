// data "agyn_api_tokens": how the Gateway's tokens become rows, how the filters select them, and how a bad
// unused_since is reported at validate time. Fixed instants only: "now" is a parameter.
import type { ApiTokenRecord } from "../../../gateway/records";
import { validateBlockValues } from "../../../provider/core/validation";
import { filtersFromConfig, inventoryRow, type InventoryFilters, selectTokens, unusedSinceProblem } from "../../../resources/api-tokens-data-source/api-token-inventory";
import { parseRfc3339 } from "../../../gateway/instant";
import { apiTokensDataSourceSchema } from "../../../resources/api-tokens-data-source/api-tokens-schema";

const NOW = parseRfc3339("2030-06-01T12:00:00Z")!;
const at = (text: string | undefined) => (text ? parseRfc3339(text)! : null);
const DAY = 86_400_000;

function token(id: string, name: string, times: { created?: string; lastUsed?: string; expires?: string } = {}): ApiTokenRecord {
  return {
    id,
    name,
    identityId: "owner",
    tokenPrefix: `agyn_${id.padEnd(3, "x")}`,
    createdAt: at(times.created),
    lastUsedAt: at(times.lastUsed),
    expiresAt: at(times.expires),
  };
}

// Newest first, as the Gateway lists them.
const TOKENS = [
  token("new", "ci-deploy", { created: "2030-05-31T00:00:00Z" }),
  token("use", "ci-nightly", { created: "2030-01-01T00:00:00Z", lastUsed: "2030-05-30T00:00:00Z", expires: "2030-12-01T00:00:00Z" }),
  token("old", "laptop", { created: "2030-02-01T00:00:00Z", lastUsed: "2030-03-01T00:00:00Z" }),
  token("exp", "ci-legacy", { created: "2029-01-01T00:00:00Z", expires: "2030-01-01T00:00:00Z" }),
];
const ids = (filters: InventoryFilters) => selectTokens(TOKENS, filters, NOW).map((r) => r.id);

describe("agyn_api_tokens rows", () => {
  it("have the Console's columns, description from the token's name, no owner and no secret", () => {
    expect(inventoryRow(TOKENS[1], NOW)).toEqual({
      id: "use",
      description: "ci-nightly",
      token_prefix: "agyn_use",
      created_at: "2030-01-01T00:00:00Z",
      last_used_at: "2030-05-30T00:00:00Z",
      expires_at: "2030-12-01T00:00:00Z",
      expired: false,
    });
  });

  it("have null, not empty, timestamps where the Gateway sends none", () => {
    expect(inventoryRow(TOKENS[0], NOW)).toMatchObject({ last_used_at: null, expires_at: null, expired: false });
    expect(inventoryRow(token("bare", "x"), NOW)).toMatchObject({ created_at: null, last_used_at: null, expires_at: null });
  });

  it("spell microseconds as agyn_api_token does", () => {
    const t = { ...token("m", "m"), createdAt: { seconds: 1_900_000_000n, nanos: 123_456_000 } };
    expect(inventoryRow(t, NOW).created_at).toBe("2030-03-17T17:46:40.123456Z");
  });

  it("count a token as expired from the instant of its expiry", () => {
    const expiringNow = token("edge", "x", { expires: "2030-06-01T12:00:00Z" });
    const expiringLater = token("later", "x", { expires: "2030-06-01T12:00:01Z" });
    expect(inventoryRow(expiringNow, NOW).expired).toBe(true);
    expect(inventoryRow(expiringLater, NOW).expired).toBe(false);
  });
});

describe("agyn_api_tokens filters", () => {
  it("without filters keep every token in the Gateway's order", () => {
    expect(ids({})).toEqual(["new", "use", "old", "exp"]);
  });

  it("description_prefix is a case-sensitive prefix of the description", () => {
    expect(ids({ descriptionPrefix: "ci-" })).toEqual(["new", "use", "exp"]);
    expect(ids({ descriptionPrefix: "CI-" })).toEqual([]);
    expect(ids({ descriptionPrefix: "" })).toEqual(["new", "use", "old", "exp"]);
  });

  it("expired selects expired or live tokens; a token without expiry is live", () => {
    expect(ids({ expired: true })).toEqual(["exp"]);
    expect(ids({ expired: false })).toEqual(["new", "use", "old"]);
  });

  it("unused_since measures from the last use, or from creation for a token never used", () => {
    // 30 days before NOW is 2030-05-02T12:00:00Z.
    expect(ids({ unusedSinceMs: 30 * DAY })).toEqual(["old", "exp"]);
    expect(ids({ unusedSinceMs: 2 * DAY })).toEqual(["use", "old", "exp"]);
    expect(ids({ unusedSinceMs: 0 })).toEqual(["new", "use", "old", "exp"]);
  });

  it("unused_since includes a token last used exactly that long ago", () => {
    const edge = token("edge", "x", { created: "2030-01-01T00:00:00Z", lastUsed: "2030-05-02T12:00:00Z" });
    expect(selectTokens([edge], { unusedSinceMs: 30 * DAY }, NOW)).toHaveLength(1);
    expect(selectTokens([edge], { unusedSinceMs: 30 * DAY + 1 }, NOW)).toHaveLength(0);
  });

  it("combine with AND", () => {
    expect(ids({ descriptionPrefix: "ci-", expired: false, unusedSinceMs: 2 * DAY })).toEqual(["use"]);
    expect(ids({ descriptionPrefix: "ci-", expired: true, unusedSinceMs: 30 * DAY })).toEqual(["exp"]);
    expect(ids({ descriptionPrefix: "laptop", expired: true })).toEqual([]);
  });

  it("come from the configuration; null attributes filter nothing", () => {
    expect(filtersFromConfig({ description_prefix: null, expired: null, unused_since: null, tokens: null }))
      .toEqual({ descriptionPrefix: undefined, expired: undefined, unusedSinceMs: undefined });
    expect(filtersFromConfig({ description_prefix: "ci-", expired: false, unused_since: "1h30m", tokens: null }))
      .toEqual({ descriptionPrefix: "ci-", expired: false, unusedSinceMs: 90 * 60_000 });
  });
});

describe("agyn_api_tokens validation", () => {
  const validate = (unusedSince: string) =>
    validateBlockValues(apiTokensDataSourceSchema.block, { description_prefix: null, expired: null, unused_since: unusedSince, tokens: null });

  it("accepts Go durations, zero included", () => {
    expect(validate("720h")).toEqual([]);
    expect(validate("1h30m")).toEqual([]);
    expect(validate("0")).toEqual([]);
  });

  it("points at unused_since for a value that is not a duration", () => {
    const diags = validate("30d");
    expect(diags.map((d) => [d.severity, d.summary, d.path])).toEqual([["error", "Invalid value", [{ attr: "unused_since" }]]]);
    expect(diags[0].detail).toContain('"30d" is not a duration');
  });

  it("points at unused_since for a negative duration", () => {
    const diags = validate("-720h");
    expect(diags.map((d) => d.path)).toEqual([[{ attr: "unused_since" }]]);
    expect(diags[0].detail).toContain('"-720h" is negative');
  });

  it("says what is wrong without a schema too", () => {
    expect(unusedSinceProblem("720h")).toBeUndefined();
    expect(unusedSinceProblem("")).toContain("is not a duration");
    expect(unusedSinceProblem("-")).toContain("is not a duration");
    expect(unusedSinceProblem("-1s")).toContain("is negative");
  });
});
