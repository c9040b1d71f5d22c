// ephemeral "agyn_api_token" with the real terraform, protocol 6 and forced protocol 5: the example —
// a run token configuring an aliased provider, through which a data source reads the same user and a managed
// token is minted — plus a run token minted through that aliased provider in turn. After every plan, apply
// and destroy each run token is already revoked (the Gateway's own insert/delete order says so, and
// ListAPITokens no longer has it), and the state file holds no agyn_ token but the managed one.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startTestGateway, type TestGateway } from "../support/local-gateway";
import { describeWithTerraform, expectSuccess, protocols } from "../support/terraform";
import {
  expectExit,
  expectRejected,
  identityOf,
  installTokenAudit,
  listedTokens,
  mint,
  type TokenAudit,
  tokenConfig,
  useTokenWorkdir,
  type TokenWorkdir,
} from "./api-token-support";

const TOKEN_SHAPED = /agyn_[0-9A-Za-z]{44}/g;

function configuration(gatewayUrl: string): string {
  return tokenConfig(gatewayUrl, `
ephemeral "agyn_api_token" "run" {
  description = "terraform run \${terraform.workspace}"
  expires_in  = "1h"
}

provider "agyn" {
  alias   = "run"
  gateway = "${gatewayUrl}"
  token   = ephemeral.agyn_api_token.run.token
}

data "agyn_user" "me" {}

data "agyn_user" "run_me" {
  provider = agyn.run
}

resource "agyn_api_token" "ci" {
  provider    = agyn.run
  description = "ci (minted with the run token)"
}

# A run token minted through the provider that the first one configures: Terraform may close the first
# before this one, so closing this one must not need the first.
ephemeral "agyn_api_token" "inner" {
  provider    = agyn.run
  description = "inner run token"
}

provider "agyn" {
  alias   = "inner"
  gateway = "${gatewayUrl}"
  token   = ephemeral.agyn_api_token.inner.token
}

data "agyn_user" "inner_me" {
  provider = agyn.inner
}

output "me_id" {
  value = data.agyn_user.me.id
}
output "run_me_id" {
  value = data.agyn_user.run_me.id
}
output "inner_me_id" {
  value = data.agyn_user.inner_me.id
}
output "ci_id" {
  value = agyn_api_token.ci.id
}
output "ci_token" {
  value     = agyn_api_token.ci.token
  sensitive = true
}
`);
}

describeWithTerraform("ephemeral agyn_api_token", (tf) => {
  let gateway: TestGateway;
  let audit: TokenAudit;
  beforeAll(async () => {
    gateway = await startTestGateway();
    audit = installTokenAudit(gateway.dbPath);
  });
  afterAll(async () => {
    audit?.close();
    await gateway?.close();
  });

  describe.each(protocols)("protocol %i", (protocol) => {
    let work: TokenWorkdir;
    useTokenWorkdir(tf, protocol, (w) => (work = w));

    /** Every token the Gateway created since `mark`, other than `keep`, was deleted again, after its creation. */
    function expectEveryRunTokenRevoked(mark: number, keep: ReadonlySet<string>, atLeast: number) {
      const events = audit.events().filter((e) => e.seq > mark);
      const runTokens = [...new Set(events.filter((e) => e.op === "create" && !keep.has(e.id)).map((e) => e.id))];
      expect(runTokens.length).toBeGreaterThanOrEqual(atLeast);
      for (const id of runTokens) {
        const created = events.find((e) => e.op === "create" && e.id === id)!;
        const revoked = events.find((e) => e.op === "revoke" && e.id === id);
        expect({ id, revokedAfterCreation: revoked !== undefined && revoked.seq > created.seq }).toEqual({ id, revokedAfterCreation: true });
      }
      return runTokens;
    }

    it("the issue's example: apply, plan and destroy, each run token revoked by the time Terraform finishes", async () => {
      const personal = mint(gateway, work, { subject: `ephemeral-${protocol}`, name: "Run Owner", description: "personal" });
      const env = { TF_VAR_agyn_api_token: personal };
      const owner = await identityOf(gateway, personal);
      work.write({ "main.tf": configuration(gateway.url) });
      expectSuccess(await work.run(["validate", "-no-color"]), "validate");

      // apply: a plan and an apply phase, each opening (minting) and closing (revoking) its own run tokens;
      // trace logs to prove none leaks.
      let mark = audit.events().at(-1)?.seq ?? 0;
      const applied = await work.apply({ ...env, TF_LOG: "trace" });
      expectSuccess(applied, "apply");
      expect(applied.stdout).toContain("Apply complete! Resources: 1 added, 0 changed, 0 destroyed.");
      expect(applied.stdout).toContain("ephemeral.agyn_api_token.run: Opening...");
      expect(applied.stdout).toContain("ephemeral.agyn_api_token.run: Closing complete");
      const outputs = await work.outputs(env);
      expect(outputs.run_me_id.value).toBe(owner);
      expect(outputs.inner_me_id.value).toBe(owner);
      expect(outputs.me_id.value).toBe(owner);
      const ciId = String(outputs.ci_id.value);
      const ciToken = work.secret(String(outputs.ci_token.value));
      expect(await identityOf(gateway, ciToken)).toBe(owner);
      const runTokens = expectEveryRunTokenRevoked(mark, new Set([ciId]), 4);
      const listed = await listedTokens(gateway, personal);
      expect([...listed.values()].sort()).toEqual(["ci (minted with the run token)", "personal"]);
      for (const id of runTokens) expect(listed.has(id)).toBe(false);

      // The state file: no agyn_ token but the managed one, and no trace of the run tokens.
      // (Booleans, so a failure never prints the state, secrets and all.)
      const stateText = readFileSync(join(work.dir, "terraform.tfstate"), "utf8");
      const tokensInState = [...new Set(stateText.match(TOKEN_SHAPED) ?? [])];
      expect({ count: tokensInState.length, onlyTheManagedOne: tokensInState.every((t) => t === ciToken) }).toEqual({ count: 1, onlyTheManagedOne: true });
      expect(runTokens.filter((id) => stateText.includes(id))).toEqual([]);
      expect(stateText.includes("terraform run default")).toBe(false);
      const state = JSON.parse(stateText) as { resources: { mode: string; type: string; name: string }[] };
      expect(state.resources.map((r) => `${r.mode}.${r.type}.${r.name}`).sort()).toEqual([
        "data.agyn_user.inner_me", "data.agyn_user.me", "data.agyn_user.run_me", "managed.agyn_api_token.ci",
      ]);

      // A second plan: new run tokens, the managed token unchanged, nothing left behind.
      mark = audit.events().at(-1)?.seq ?? 0;
      const steady = await work.plan(env);
      expectExit(steady, 0);
      expect(steady.stdout).toContain("No changes.");
      expectEveryRunTokenRevoked(mark, new Set(), 2);

      // destroy revokes the managed token through the aliased provider, and the run tokens of its own phases.
      mark = audit.events().at(-1)?.seq ?? 0;
      const destroyed = await work.destroy(env);
      expectSuccess(destroyed, "destroy");
      expect(destroyed.stdout).toContain("Destroy complete! Resources: 1 destroyed.");
      await expectRejected(gateway, ciToken);
      expectEveryRunTokenRevoked(mark, new Set(), 2);
      expect([...(await listedTokens(gateway, personal)).values()]).toEqual(["personal"]);
    });
  });
});
