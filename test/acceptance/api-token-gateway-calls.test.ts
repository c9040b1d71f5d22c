// How many Gateway calls whole commands make for several agyn_api_token (and the agyn_api_tokens data source
// beside them): one ListAPITokens per provider process for a no-change plan, a refresh or a destroy, however
// many tokens — never one per resource — while a token revoked elsewhere between commands is still seen.
// Counts, not times: the Gateway's own request log says which calls arrived. Each provider process also checks
// its credentials once at Configure (one GetMe, issue 10), which every later question about the caller reuses.
import { startTestGateway, type TestGateway } from "../support/local-gateway";
import { describeWithTerraform, expectSuccess } from "../support/terraform";
import { expectExit, mint, tokenConfig, TokenWorkdir, withClient } from "./api-token-support";

const TOKENS = 4;

describeWithTerraform("Gateway calls per command for agyn_api_token", (tf) => {
  let gateway: TestGateway;
  let work: TokenWorkdir;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(async () => {
    await gateway?.close();
  });
  afterEach(() => {
    try {
      work?.expectNoSecretLeaks();
    } finally {
      work?.cleanup();
    }
  });

  /** The calls `run` made, by method. */
  async function callsDuring(run: () => Promise<void>): Promise<Record<string, number>> {
    const before = gateway.requestLog().length;
    await run();
    const counts: Record<string, number> = {};
    for (const line of gateway.requestLog().slice(before)) {
      const method = line.split(" ")[0];
      counts[method] = (counts[method] ?? 0) + 1;
    }
    return counts;
  }

  // The sharing is below the protocol, so one protocol (the default, 6) is enough here.
  it(`plans, refreshes and destroys ${TOKENS} tokens and the tokens data source with one ListAPITokens per process`, async () => {
    work = new TokenWorkdir(tf);
    const providerToken = mint(gateway, work, { subject: "counted", description: "personal" });
    const env = { TF_VAR_agyn_api_token: providerToken };
    work.write({
      "main.tf": tokenConfig(gateway.url, `
resource "agyn_api_token" "ci" {
  count       = ${TOKENS}
  description = "ci \${count.index}"
}
data "agyn_api_tokens" "all" {
  depends_on = [agyn_api_token.ci]
}
output "listed" {
  value = length(data.agyn_api_tokens.all.tokens)
}
`),
    });
    expectSuccess(await work.apply(env), "apply");
    expect(await work.output("listed")).toBe(TOKENS + 1);

    const plan = await callsDuring(async () => expectExit(await work.plan(env), 0, "no-change plan"));
    expect(plan).toEqual({ GetMe: 1, ListAPITokens: 1 });

    const refresh = await callsDuring(async () => expectSuccess(await work.run(["apply", "-refresh-only", "-auto-approve", "-input=false", "-no-color"], env), "refresh"));
    expect(refresh).toEqual({ GetMe: 2, ListAPITokens: 1 }); // two provider processes: plan and apply
    expect(await work.output("listed")).toBe(TOKENS + 1);

    // Revoked elsewhere between commands: the next plan sees it (and still lists once).
    const ids = (await work.state()).values?.root_module?.resources
      ?.filter((r) => r.type === "agyn_api_token").map((r) => String(r.values.id)) ?? [];
    expect(ids).toHaveLength(TOKENS);
    await withClient(gateway, providerToken, (c) => c.revokeApiToken(ids[0]));
    let drift = "";
    const driftPlan = await callsDuring(async () => {
      const r = await work.plan(env);
      expectExit(r, 2, "plan after an out-of-band revoke");
      drift = r.stdout;
    });
    expect(drift).toContain("Plan: 1 to add, 0 to change, 0 to destroy.");
    // The missing token asks who the caller is (is it gone, or does the provider now authenticate as someone
    // else?): Configure's GetMe answers it, so no extra call.
    expect(driftPlan).toEqual({ ListAPITokens: 1, GetMe: 1 });

    // Destroy: one list for the refresh, a GetMe per provider process (terraform destroy starts three: the
    // refresh, the destroy plan and the apply; the first also answers for the token still in state but gone),
    // one revoke per remaining token (a write is never shared).
    const destroyed = await callsDuring(async () => expectSuccess(await work.destroy(env), "destroy"));
    expect(destroyed).toEqual({ ListAPITokens: 1, GetMe: 3, RevokeAPIToken: TOKENS - 1 });
  });
});
