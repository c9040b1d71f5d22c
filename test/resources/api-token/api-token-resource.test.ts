// agyn_api_token's own plan and validation rules, below the generic ones the core applies.
import { silentLogger } from "../../../provider/logging/logger";
import { apiTokenResource } from "../../../resources/api-token/api-token-resource";
import type { ApiTokenState } from "../../../resources/api-token/api-token-schema";
import { isUnknown } from "../../../schema/cty";
import { unconfiguredContext } from "../../support/operation-context";

const ctx = unconfiguredContext();

const HOUR = 3600_000;
const iso = (ms: number) => new Date(ms).toISOString();

function state(overrides: Partial<ApiTokenState>): ApiTokenState {
  return {
    id: "7d1f6a0e-1b2c-4d3e-8f40-5a6b7c8d9e0f", description: "ci", expires_at: null, expires_in: null, rotate_before: null,
    allow_self_revoke: null, token: "secret", token_prefix: "agyn_abc", identity_id: "owner",
    created_at: iso(Date.now() - 10 * HOUR), last_used_at: null, expired: false, ...overrides,
  };
}

async function plan(prior: ApiTokenState, planned: ApiTokenState = prior) {
  return apiTokenResource.modifyPlan!({ prior, config: planned, planned }, ctx);
}

describe("agyn_api_token validation", () => {
  const validate = (config: Partial<ApiTokenState>) => apiTokenResource.validateConfig!(state({ token: null, ...config }), { log: silentLogger });

  it("refuses expires_at together with expires_in", () => {
    const diags = validate({ expires_at: "2030-01-01T00:00:00Z", expires_in: "1h" });
    expect(diags.map((d) => [d.summary, d.path])).toEqual([["Conflicting expiry settings", [{ attr: "expires_in" }]]]);
  });

  it("refuses rotate_before without an expiry, and accepts it with one", () => {
    expect(validate({ rotate_before: "1h" }).map((d) => d.summary)).toEqual(["rotate_before needs an expiry"]);
    expect(validate({ rotate_before: "1h", expires_in: "2h" })).toEqual([]);
    expect(validate({ rotate_before: "1h", expires_at: "2030-01-01T00:00:00Z" })).toEqual([]);
  });
});

describe("agyn_api_token rotation at plan time", () => {
  it("replaces a token with a relative expiry inside its rotation window by marking the secret unknown", async () => {
    const r = await plan(state({ expires_at: iso(Date.now() + 30 * 60_000), expires_in: "2h", rotate_before: "1h" }));
    expect(isUnknown(r.planned?.token)).toBe(true);
    expect(r.requiresReplace).toEqual([[{ attr: "token" }]]);
  });

  it("replaces an expired token with expires_in even without rotate_before", async () => {
    const r = await plan(state({ expires_at: iso(Date.now() - 60_000), expires_in: "2h" }));
    expect(r.requiresReplace).toEqual([[{ attr: "token" }]]);
  });

  it("leaves a token outside its window alone", async () => {
    const r = await plan(state({ expires_at: iso(Date.now() + 3 * HOUR), expires_in: "4h", rotate_before: "1h" }));
    expect(r.requiresReplace ?? []).toEqual([]);
    expect(r.planned?.token).toBe("secret");
  });

  it("only warns for a fixed expires_at inside the window, since a replacement would expire at the same moment", async () => {
    const r = await plan(state({ expires_at: iso(Date.now() + 30 * 60_000), rotate_before: "1h" }));
    expect(r.requiresReplace ?? []).toEqual([]);
    expect(r.diagnostics?.map((d) => [d.severity, d.summary])).toEqual([["warning", "API token is due for rotation"]]);
  });

  it("never plans anything for a fixed past expires_at without rotate_before", async () => {
    const r = await plan(state({ expires_at: iso(Date.now() - HOUR) }));
    expect(r.requiresReplace ?? []).toEqual([]);
    expect(r.diagnostics ?? []).toEqual([]);
  });
});
