// agyn_api_token's plan-time guard against replacing the provider's own token (the plan used to show -/+ and
// the apply fail after create_before_destroy had minted the new token, leaving a deposed object), and what
// create, read and delete do around a create whose outcome stayed unknown.
import { GatewayError } from "../../../gateway/gateway-error";
import { instantFromDate } from "../../../gateway/instant";
import type { ApiTokenRecord, MintedApiToken } from "../../../gateway/records";
import { generateApiToken, tokenPrefix } from "../../../gateway/token-format";
import { apiTokenResource } from "../../../resources/api-token/api-token-resource";
import { lostCreateId } from "../../../resources/api-token/lost-create";
import type { ApiTokenApply, ApiTokenState } from "../../../resources/api-token/api-token-schema";
import { unknown, unknownsAsNull } from "../../../schema/cty";
import { contextWith } from "../../support/operation-context";

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const ID = "7d1f6a0e-1b2c-4d3e-8f40-5a6b7c8d9e0f";

function state(token: string, overrides: Partial<ApiTokenState> = {}): ApiTokenState {
  return {
    id: ID, description: "ci", expires_at: null, expires_in: null, rotate_before: null, allow_self_revoke: null,
    token, token_prefix: tokenPrefix(token), identity_id: "owner", created_at: iso(Date.now() - 10 * HOUR), last_used_at: null, expired: false,
    ...overrides,
  };
}

describe("replacing the provider's own token is refused at plan time", () => {
  const own = generateApiToken();
  const ctx = contextWith({}, own);

  it("when a changed description forces the replacement", async () => {
    const prior = state(own);
    const planned = { ...prior, description: "renamed" };
    const r = await apiTokenResource.modifyPlan!({ prior, config: planned, planned, requiresReplace: [[{ attr: "description" }]] }, ctx);
    expect(r.diagnostics?.map((d) => d.summary)).toEqual(["Refusing to replace the provider's own token"]);
  });

  it("when rotation is due", async () => {
    const prior = state(own, { expires_at: iso(Date.now() + 30 * 60_000), expires_in: "2h", rotate_before: "1h" });
    const r = await apiTokenResource.modifyPlan!({ prior, config: prior, planned: prior, requiresReplace: [] }, ctx);
    expect(r.diagnostics?.map((d) => d.summary)).toEqual(["Refusing to replace the provider's own token"]);
    expect(r.requiresReplace ?? []).toEqual([]);
  });

  it("not for another token, nor when allow_self_revoke is already true in state", async () => {
    const other = state(generateApiToken());
    const planned = { ...other, description: "renamed" };
    expect((await apiTokenResource.modifyPlan!({ prior: other, config: planned, planned, requiresReplace: [[{ attr: "description" }]] }, ctx)).diagnostics ?? []).toEqual([]);
    const allowed = state(own, { allow_self_revoke: true });
    const p2 = { ...allowed, description: "renamed" };
    expect((await apiTokenResource.modifyPlan!({ prior: allowed, config: p2, planned: p2, requiresReplace: [[{ attr: "description" }]] }, ctx)).diagnostics ?? []).toEqual([]);
  });

  it("an in-place change of the own token is fine", async () => {
    const prior = state(own);
    const planned = { ...prior, allow_self_revoke: true };
    expect((await apiTokenResource.modifyPlan!({ prior, config: planned, planned, requiresReplace: [] }, ctx)).diagnostics ?? []).toEqual([]);
  });
});

describe("a create whose outcome stays unknown", () => {
  const planned: ApiTokenApply = {
    id: unknown, description: "ci", expires_at: unknown, expires_in: null, rotate_before: null, allow_self_revoke: null,
    token: unknown, token_prefix: unknown, identity_id: unknown, created_at: unknown, last_used_at: unknown, expired: unknown,
  };
  const config = { ...unknownsAsNull(planned), description: "ci" };
  const lost = () => new GatewayError("CreateAPIToken", "unavailable", "connection to gw was reset", { mayHaveApplied: true, transient: true });
  const listFails = () => new GatewayError("ListAPITokens", "unavailable", "HTTP 503", { transient: true, attempts: 5 });

  it("is recorded as a placeholder whose id names the window, and says what happened", async () => {
    const ctx = contextWith({
      createApiToken: async () => { throw lost(); },
      listApiTokens: async () => { throw listFails(); },
    });
    const r = await apiTokenResource.create({ planned, config }, ctx);
    expect(r.value).toMatchObject({ token: null, token_prefix: null, description: "ci" });
    expect(Object.values(r.value ?? {})).not.toContain(unknown);
    // The window is in the state's values, which reach the destroy on every path (private state does not).
    const [, from, to] = /^lost-create:(\S+)\/(\S+)$/.exec(r.value!.id!)!;
    expect(Date.parse(from)).toBeLessThanOrEqual(Date.parse(to));
    expect(Math.abs(Date.parse(to) - Date.now())).toBeLessThan(60_000);
    expect(r.private).toBeUndefined();
    expect(r.diagnostics?.map((d) => d.summary)).toEqual(["API token creation failed; a token may have been created"]);
    expect(r.diagnostics?.[0].detail).toContain('a token named "ci"');
  });

  it("a refresh keeps the placeholder; its destroy (the tainted replacement) revokes what the lost create made", async () => {
    const now = Date.now();
    const made: ApiTokenRecord = {
      id: "aaaaaaaa-0000-4000-8000-000000000001", identityId: "owner", name: "ci", tokenPrefix: "agyn_0ab",
      createdAt: instantFromDate(new Date(now)), lastUsedAt: null, expiresAt: null,
    };
    const older: ApiTokenRecord = { ...made, id: "aaaaaaaa-0000-4000-8000-000000000002", createdAt: instantFromDate(new Date(now - HOUR)) };
    const revoked: string[] = [];
    const ctx = contextWith({ listApiTokens: async () => [made, older], revokeApiToken: async (id) => void revoked.push(id) });
    const id = lostCreateId({ fromMs: now - 1000, toMs: now + 1000 });
    const placeholder = { ...unknownsAsNull(planned), description: "ci", id, token: null, expired: false } as ApiTokenState;
    expect((await apiTokenResource.read({ state: placeholder }, ctx)).value).toEqual(placeholder);
    // No private state: what a replacement's destroy gets from Terraform.
    expect(await apiTokenResource.delete({ prior: placeholder }, ctx)).toEqual({});
    expect(revoked).toEqual([made.id]);
  });

  it("a placeholder's destroy that cannot reach the Gateway fails, so the placeholder stays for the next apply", async () => {
    const ctx = contextWith({ listApiTokens: async () => { throw listFails(); } });
    const placeholder = { ...unknownsAsNull(planned), description: "ci", id: lostCreateId({ fromMs: 1, toMs: 2 }), token: null, expired: false } as ApiTokenState;
    const r = await apiTokenResource.delete({ prior: placeholder }, ctx);
    expect(r.diagnostics?.map((d) => d.summary)).toEqual(["Cannot yet clean up after the earlier failed create"]);
  });

  it("a placeholder without an id (nothing was made) is deleted without a call", async () => {
    const ctx = contextWith({});
    const placeholder = { ...unknownsAsNull(planned), description: "ci", id: null, token: null, expired: false } as ApiTokenState;
    expect(await apiTokenResource.delete({ prior: placeholder }, ctx)).toEqual({});
    expect((await apiTokenResource.read({ state: placeholder }, ctx)).value).toEqual(placeholder);
  });

  it("retries and reports a definite failure with what it checked", async () => {
    let creates = 0;
    const answer: MintedApiToken = { token: null, plaintext: "" };
    const ctx = contextWith({
      retry: { requestTimeoutMs: 1000, maxRetries: 1 },
      createApiToken: async () => {
        creates++;
        if (creates <= 2) throw lost();
        return answer;
      },
      listApiTokens: async () => [],
    });
    const r = await apiTokenResource.create({ planned, config }, ctx);
    expect(creates).toBe(2);
    expect(r.value).toBeUndefined();
    expect(r.diagnostics?.[0].summary).toBe("Cannot reach the agyn Gateway");
    expect(r.diagnostics?.[0].detail).toContain("The provider tried 2 times.");
    expect(r.diagnostics?.[0].detail).toContain("No token was left behind");
  });
});
