// data "agyn_api_tokens" with the real terraform, protocol 6 and forced protocol 5: the caller's inventory as
// tokens come and go, the filters, and no secret anywhere — terraform's output or terraform.tfstate.
// "Long ago" is made on the Gateway's side (its database written with a past clock), "later" on the
// provider's (its test clock, AGYN_PROVIDER_TEST_NOW with TF_ACC=1).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { mintLocalToken } from "../../gateway/local/mint-token";
import { GatewayStore } from "../../gateway/local/store";
import { tokenPrefix } from "../../gateway/token-format";
import { formatRfc3339, instantFromDate } from "../../gateway/instant";
import { type TestGateway, useTestGateway } from "../support/local-gateway";
import { describeWithTerraform, expectSuccess, protocols } from "../support/terraform";
import { atClock, flat, mint, rfc3339, tokenConfig, tokenResource, type TokenWorkdir, UUID, useTokenWorkdir } from "./api-token-support";

const DAY = 86_400_000;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

interface Row {
  id: string;
  description: string;
  token_prefix: string;
  created_at: string | null;
  last_used_at: string | null;
  expires_at: string | null;
  expired: boolean;
}

/** A data source per filter set, each with an output of the same name listing its tokens. */
function inventories(filters: Record<string, string>, dependsOn?: string): string {
  return Object.entries(filters).map(([name, body]) => `
data "agyn_api_tokens" "${name}" {
  ${body}${dependsOn ? `\n  depends_on = [${dependsOn}]` : ""}
}
output "${name}" {
  value = data.agyn_api_tokens.${name}.tokens
}
`).join("");
}

/** Mints a token by writing the Gateway's database at a past time, and optionally uses it at another one. */
function backdated(gateway: TestGateway, work: TokenWorkdir, subject: string, description: string, createdMs: number, usedMs?: number): string {
  let clock = BigInt(createdMs) * 1000n;
  const store = GatewayStore.open(gateway.dbPath, () => clock);
  try {
    const { plaintext } = mintLocalToken(store, { subject, description });
    if (usedMs !== undefined) {
      clock = BigInt(usedMs) * 1000n;
      if (!store.authenticateApiToken(plaintext)) throw new Error("the backdated token did not authenticate");
    }
    return work.secret(plaintext);
  } finally {
    store.close();
  }
}

/** Fails, naming only the public prefix, when the text holds a secret or the part after its prefix. */
function expectNoSecrets(text: string, secrets: readonly string[], where: string): void {
  for (const secret of secrets) {
    if (text.includes(secret) || text.includes(secret.slice(8))) throw new Error(`${where} holds the secret token with prefix ${tokenPrefix(secret)}`);
  }
}

const stateFile = (work: TokenWorkdir) => readFileSync(join(work.dir, "terraform.tfstate"), "utf8");

/** Just the data sources' part of terraform.tfstate. */
const dataSourcesInState = (work: TokenWorkdir) =>
  JSON.stringify((JSON.parse(stateFile(work)) as { resources: { mode: string }[] }).resources.filter((r) => r.mode === "data"));

describeWithTerraform("data agyn_api_tokens", (tf) => {
  const gateway = useTestGateway();

  describe.each(protocols)("protocol %i", (protocol) => {
    let work: TokenWorkdir;
    useTokenWorkdir(tf, protocol, (w) => (work = w));

    const rows = async (name: string) => (await work.output(name)) as Row[];

    it("lists the caller's tokens as they are minted and revoked, and never a secret", async () => {
      const providerToken = mint(gateway, work, { subject: `inventory-${protocol}`, description: "terraform" });
      const stranger = mint(gateway, work, { subject: `stranger-${protocol}`, description: "not the caller's" });
      const env = { TF_VAR_agyn_api_token: providerToken };

      work.write({ "main.tf": tokenConfig(gateway.url, inventories({ all: "" })) });
      expectSuccess(await work.apply(env), "apply");
      const before = await rows("all");
      // The listing request itself used the provider's token, so it has a last use.
      expect(before).toEqual([{
        id: expect.stringMatching(UUID),
        description: "terraform",
        token_prefix: tokenPrefix(providerToken),
        created_at: expect.stringMatching(RFC3339),
        last_used_at: expect.stringMatching(RFC3339),
        expires_at: null,
        expired: false,
      }]);
      expectNoSecrets(stateFile(work), [providerToken, stranger], "terraform.tfstate");

      // depends_on: read after the token exists, so the same apply lists it.
      work.write({
        "main.tf": tokenConfig(gateway.url,
          tokenResource("ci", `description = "ci-deploy"\nexpires_in  = "2160h"`) + inventories({ all: "" }, "agyn_api_token.ci")),
      });
      expectSuccess(await work.apply(env), "apply with a new token");
      const { token: ciToken, id: ciId } = await work.minted("ci");
      const ci = await work.resource("agyn_api_token.ci");
      const after = await rows("all");
      expect(after.map((r) => r.id)).toEqual([ciId, before[0].id]);
      // The same instants, spelled exactly as the resource spells them.
      expect(after[0]).toEqual({
        id: ciId,
        description: "ci-deploy",
        token_prefix: tokenPrefix(ciToken),
        created_at: ci.created_at,
        last_used_at: null,
        expires_at: ci.expires_at,
        expired: false,
      });
      expect(after[0].expires_at).toMatch(RFC3339);
      expectNoSecrets(dataSourcesInState(work), [providerToken, stranger, ciToken], "the data source's state");

      // Revoke by removing the resource. A data source without depends_on is read at plan time, before the
      // revoke, so the inventory without it is the next run's.
      work.write({ "main.tf": tokenConfig(gateway.url, inventories({ all: "" })) });
      const revoke = await work.apply(env);
      expectSuccess(revoke, "apply that revokes");
      expect(revoke.stdout).toContain("1 destroyed");
      expectSuccess(await work.apply(env), "apply after the revoke");
      expect((await rows("all")).map((r) => r.id)).toEqual([before[0].id]);
      expectNoSecrets(stateFile(work), [providerToken, stranger, ciToken], "terraform.tfstate");
      expect(work.humanRunCount).toBeGreaterThanOrEqual(4);
    });

    it("filters by description prefix and expiry, combined with AND", async () => {
      const subject = `filters-${protocol}`;
      const providerToken = mint(gateway, work, { subject, description: "terraform" });
      mint(gateway, work, { subject, description: "laptop" });
      mint(gateway, work, { subject, description: "ci-live", expiresAt: new Date(Date.now() + 30 * DAY) });
      const expiredAt = Math.floor((Date.now() - DAY) / 1000) * 1000;
      const expiredToken = mint(gateway, work, { subject, description: "ci-expired", expiresAt: new Date(expiredAt) });
      work.write({
        "main.tf": tokenConfig(gateway.url, inventories({
          ci: `description_prefix = "ci-"`,
          expired: `expired = true`,
          live: `expired = false`,
          live_ci: `description_prefix = "ci-"\n  expired            = false`,
          none: `description_prefix = "CI-"`,
        })),
      });
      expectSuccess(await work.apply({ TF_VAR_agyn_api_token: providerToken }), "apply");

      const descriptions = async (name: string) => (await rows(name)).map((r) => r.description);
      expect(await descriptions("ci")).toEqual(["ci-expired", "ci-live"]);
      expect(await descriptions("live")).toEqual(["ci-live", "laptop", "terraform"]);
      expect(await descriptions("live_ci")).toEqual(["ci-live"]);
      expect(await descriptions("none")).toEqual([]);
      expect(await rows("expired")).toEqual([{
        id: expect.stringMatching(UUID),
        description: "ci-expired",
        token_prefix: tokenPrefix(expiredToken),
        created_at: expect.stringMatching(RFC3339),
        last_used_at: null,
        expires_at: rfc3339(expiredAt),
        expired: true,
      }]);
      expectNoSecrets(stateFile(work), [providerToken, expiredToken], "terraform.tfstate");
    });

    it("finds tokens unused for a while, counting a never-used token from its creation", async () => {
      const subject = `audit-${protocol}`;
      const base = Date.now();
      // Created long ago but used by this very test: the last use counts, so it is never stale here.
      const providerToken = backdated(gateway, work, subject, "terraform", base - 90 * DAY);
      backdated(gateway, work, subject, "old-used", base - 80 * DAY, base - 40 * DAY);
      backdated(gateway, work, subject, "recent-used", base - 70 * DAY, base - 5 * DAY);
      backdated(gateway, work, subject, "old-unused", base - 60 * DAY);
      mint(gateway, work, { subject, description: "fresh-unused" });
      const env = { TF_VAR_agyn_api_token: providerToken };
      work.write({ "main.tf": tokenConfig(gateway.url, inventories({ stale: `unused_since = "720h"` })) });

      expectSuccess(await work.apply(env), "apply");
      const stale = await rows("stale");
      expect(stale.map((r) => r.description)).toEqual(["old-unused", "old-used"]);
      expect(stale[0].last_used_at).toBeNull();
      expect(stale[1].last_used_at).toBe(formatRfc3339(instantFromDate(new Date(base - 40 * DAY))));

      // 28 days on, the token last used 5 days before is 33 days unused; the fresh one was created only 28
      // days before, and the provider's own token has just been used again.
      expectSuccess(await work.apply({ ...env, ...atClock(base + 28 * DAY) }), "apply 28 days later");
      expect((await rows("stale")).map((r) => r.description)).toEqual(["old-unused", "recent-used", "old-used"]);
      expectNoSecrets(stateFile(work), [providerToken], "terraform.tfstate");
    });

    it("refuses a bad unused_since at validate time, pointing at the attribute", async () => {
      work.write({
        "main.tf": tokenConfig(gateway.url, inventories({ typo: `unused_since = "30d"`, negative: `unused_since = "-720h"` })),
      });
      const r = await work.run(["validate", "-no-color"]);
      expect(r.code).toBe(1);
      const text = flat(r.stderr);
      expect(text).toContain(`with data.agyn_api_tokens.typo, on main.tf line`);
      expect(text).toContain(`unused_since = "30d"`);
      expect(text).toContain(`"30d" is not a duration. Use Go's duration syntax`);
      expect(text).toContain(`with data.agyn_api_tokens.negative, on main.tf line`);
      expect(text).toContain(`"-720h" is negative`);
    });
  });
});
