// agyn_api_token state from the Gateway's record of a token.
import { parseRfc3339 } from "../../../gateway/instant";
import type { ApiTokenRecord } from "../../../gateway/records";
import { gatewayAttributes, importedState } from "../../../resources/api-token/api-token-state";

const NOW = parseRfc3339("2030-06-01T12:00:00Z")!;
const record: ApiTokenRecord = {
  id: "7d1f6a0e-1b2c-4d3e-8f40-5a6b7c8d9e0f", identityId: "owner", name: "ci", tokenPrefix: "agyn_abc",
  createdAt: parseRfc3339("2030-05-01T00:00:00.123456Z")!, lastUsedAt: null, expiresAt: parseRfc3339("2030-07-01T00:00:00Z")!,
};

describe("gatewayAttributes", () => {
  it("takes the Gateway's values, null where it has none, and says whether the token expired", () => {
    expect(gatewayAttributes(record, null, NOW)).toEqual({
      id: record.id, description: "ci", identity_id: "owner", token_prefix: "agyn_abc",
      created_at: "2030-05-01T00:00:00.123456Z", last_used_at: null, expires_at: "2030-07-01T00:00:00Z", expired: false,
    });
    expect(gatewayAttributes(record, null, parseRfc3339("2030-07-01T00:00:00Z")!).expired).toBe(true);
  });

  it("keeps the state's description and its spelling of the same expiry; another instant is the Gateway's", () => {
    const same = gatewayAttributes(record, { description: "mine", expires_at: "2030-07-01T02:00:00+02:00" }, NOW);
    expect(same).toMatchObject({ description: "mine", expires_at: "2030-07-01T02:00:00+02:00" });
    const other = gatewayAttributes(record, { description: "mine", expires_at: "2030-07-02T00:00:00Z" }, NOW);
    expect(other.expires_at).toBe("2030-07-01T00:00:00Z");
  });
});

describe("importedState", () => {
  it("has no secret and no settings: the Gateway keeps only a hash", () => {
    expect(importedState(record, NOW)).toMatchObject({ token: null, expires_in: null, rotate_before: null, allow_self_revoke: null, description: "ci" });
  });
});
