// resource "agyn_api_token" expiry with the real terraform, protocol 6 and forced protocol 5: a past
// expires_at is refused at plan, yet never blocks a no-op plan or a destroy of a token that has since
// expired; expires_in is fixed at create and stable across plans; another spelling of the same instant is
// no change. "Later" is the provider's test clock (AGYN_PROVIDER_TEST_NOW with TF_ACC=1).
import { useTestGateway } from "../support/local-gateway";
import { describeWithTerraform, expectSuccess, protocols } from "../support/terraform";
import {
  atClock,
  expectExit,
  expectRejected,
  flat,
  identityOf,
  mint,
  rfc3339,
  tokenConfig,
  tokenResource,
  type TokenWorkdir,
  withClient,
  useTokenWorkdir,
} from "./api-token-support";

/** Microseconds since the epoch of an RFC 3339 UTC timestamp, keeping the full fraction. */
function micros(text: string): bigint {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(text);
  if (!m) throw new Error(`not an RFC 3339 UTC timestamp: ${text}`);
  return BigInt(Date.parse(`${m[1]}Z`)) * 1000n + BigInt((m[2] ?? "").padEnd(9, "0").slice(0, 6));
}

const HOUR = 3600_000;

describeWithTerraform("resource agyn_api_token expiry", (tf) => {
  const gateway = useTestGateway();

  describe.each(protocols)("protocol %i", (protocol) => {
    let work: TokenWorkdir;
    useTokenWorkdir(tf, protocol, (w) => (work = w));

    it("refuses a past expires_at at plan, not in validate, and not for a no-op plan or destroy once it passed", async () => {
      const env = { TF_VAR_agyn_api_token: mint(gateway, work, { subject: `past-${protocol}` }) };
      const config = (attributes: string) => tokenConfig(gateway.url, tokenResource("ci", attributes));

      work.write({ "main.tf": config(`description = "ci"\nexpires_at  = "2020-01-01T00:00:00Z"`) });
      expectSuccess(await work.run(["validate", "-no-color"]), "validate");
      const refused = await work.plan(env);
      expectExit(refused, 1);
      expect(refused.stderr).toContain("Error: expires_at must be in the future");
      expect(flat(refused.stderr)).toContain("The token would expire at 2020-01-01T00:00:00Z, which is not in the future");
      // Pointing at the attribute: Terraform quotes the configuration line of expires_at.
      expect(refused.stderr).toMatch(
        /with agyn_api_token\.ci,\s+on main\.tf line \d+, in resource "agyn_api_token" "ci":\s+\d+:\s+expires_at\s+= "2020-01-01T00:00:00Z"/,
      );
      expect(await work.findResource("agyn_api_token.ci")).toBeUndefined();

      // A token created with a future expiry, then looked at after that instant.
      const expiresAt = rfc3339(Date.now() + HOUR);
      work.write({ "main.tf": config(`description = "ci"\nexpires_at  = "${expiresAt}"`) });
      expectSuccess(await work.apply(env), "apply");
      const { token, id } = await work.minted("ci");
      expect(await work.resource("agyn_api_token.ci")).toMatchObject({ expires_at: expiresAt, expired: false });
      const later = atClock(Date.now() + 2 * HOUR);

      const refreshed = await work.apply({ ...env, ...later }, ["-refresh-only"]);
      expectSuccess(refreshed, "apply -refresh-only after expiry");
      expect(await work.resource("agyn_api_token.ci")).toMatchObject({ id, expires_at: expiresAt, expired: true });

      const noop = await work.plan({ ...env, ...later });
      expectExit(noop, 0);
      expect(noop.stdout).toContain("No changes.");
      expect(noop.stderr).not.toContain("Error");

      // A plan that would replace it (new description, same past expiry) is refused: it could only fail.
      work.write({ "main.tf": config(`description = "ci renamed"\nexpires_at  = "${expiresAt}"`) });
      const replace = await work.plan({ ...env, ...later });
      expectExit(replace, 1);
      expect(replace.stderr).toContain("Error: expires_at must be in the future");

      // Back to the configuration the token was created with: destroying it still works. (Terraform's destroy
      // starts with a normal plan, so a configuration that would replace or create a past-expiry token is
      // refused there too; `terraform destroy -refresh=false` skips that plan.)
      work.write({ "main.tf": config(`description = "ci"\nexpires_at  = "${expiresAt}"`) });
      const destroyed = await work.destroy({ ...env, ...later });
      expectSuccess(destroyed, "destroy after expiry");
      expect(destroyed.stdout).toContain("Destroy complete! Resources: 1 destroyed.");
      await expectRejected(gateway, token);
      expect(await work.findResource("agyn_api_token.ci")).toBeUndefined();
    });

    it("fixes the expiry from expires_in at create and keeps it across plans", async () => {
      const providerToken = mint(gateway, work, { subject: `expires-in-${protocol}` });
      const env = { TF_VAR_agyn_api_token: providerToken };
      const config = (expiresIn: string) =>
        tokenConfig(gateway.url, tokenResource("ci", `description = "ci"\nexpires_in  = "${expiresIn}"`));
      work.write({ "main.tf": config("720h") });
      const before = Date.now();
      expectSuccess(await work.apply(env), "apply");
      const after = Date.now();
      const { token } = await work.minted("ci");
      const created = await work.resource("agyn_api_token.ci");
      const expiresAt = String(created.expires_at);
      expect(created.expires_in).toBe("720h");
      const expiryMs = Number(micros(expiresAt) / 1000n);
      expect(expiryMs).toBeGreaterThanOrEqual(before + 720 * HOUR - 1000);
      expect(expiryMs).toBeLessThanOrEqual(after + 720 * HOUR + 1000); // plus at most the 1 s slack
      // Never less than expires_in after the creation the Gateway recorded.
      expect(micros(expiresAt) - micros(String(created.created_at))).toBeGreaterThanOrEqual(720n * 3600n * 1_000_000n);

      // The Gateway has exactly that instant, to the microsecond.
      const { tokens } = await withClient(gateway, providerToken, (c) => c.listApiTokens());
      const listed = tokens.find((t) => t.id === created.id);
      expect(listed?.expiresAt).toBeDefined();
      expect(listed!.expiresAt!.seconds * 1_000_000n + BigInt(Math.floor(listed!.expiresAt!.nanos / 1000))).toBe(micros(expiresAt));

      // No drift: each plan is later than the last, none moves the expiry.
      for (let i = 0; i < 2; i++) {
        const plan = await work.plan(env);
        expectExit(plan, 0);
        expect(plan.stdout).toContain("No changes.");
      }
      // Another spelling of the same duration is only an in-place change of the setting, not a new token.
      work.write({ "main.tf": config("43200m") });
      const respelled = await work.plan(env);
      expectExit(respelled, 2);
      expect(respelled.stdout).toContain("Plan: 0 to add, 1 to change, 0 to destroy.");
      expect(respelled.stdout).toMatch(/~ expires_in\s+= "720h" -> "43200m"/);
      expect(respelled.stdout).not.toContain("must be replaced");
      expect(respelled.stdout).not.toContain("known after apply");
      // A different duration is (so the plans above could have failed).
      work.write({ "main.tf": config("721h") });
      const longer = await work.plan(env);
      expectExit(longer, 2);
      expect(longer.stdout).toContain("must be replaced");

      expect(await work.resource("agyn_api_token.ci")).toMatchObject({ id: created.id, expires_at: expiresAt, expires_in: "720h" });
      expect(await identityOf(gateway, token)).toBe(created.identity_id);

      // Imported, the lifetime is unknowable: configuring expires_in adopts the token in place, never replaces it.
      expectSuccess(await work.run(["state", "rm", "agyn_api_token.ci"], env), "state rm");
      work.write({ "main.tf": config("720h") });
      expectSuccess(await work.run(["import", "-no-color", "-input=false", "agyn_api_token.ci", String(created.id)], env), "import");
      const adopt = await work.plan(env);
      expectExit(adopt, 2);
      expect(adopt.stdout).toContain("Plan: 0 to add, 1 to change, 0 to destroy.");
      expect(adopt.stdout).toMatch(/\+ expires_in\s+= "720h"/);
      expect(adopt.stdout).not.toContain("must be replaced");
    });

    it("keeps a sub-millisecond expires_in to the microsecond, on the Gateway and across refreshes", async () => {
      const providerToken = mint(gateway, work, { subject: `micro-${protocol}` });
      const env = { TF_VAR_agyn_api_token: providerToken };
      work.write({ "main.tf": tokenConfig(gateway.url, tokenResource("ci", `description = "ci"\nexpires_in  = "1h0.5ms"`)) });
      expectSuccess(await work.apply(env), "apply");
      const created = await work.resource("agyn_api_token.ci");
      const expiresAt = String(created.expires_at);
      // Clock instants are whole milliseconds, so the half millisecond shows in the microseconds.
      expect(expiresAt).toMatch(/\.\d{3}500Z$/);
      const { tokens } = await withClient(gateway, providerToken, (c) => c.listApiTokens());
      const listed = tokens.find((t) => t.id === created.id);
      expect(listed!.expiresAt!.seconds * 1_000_000n + BigInt(Math.floor(listed!.expiresAt!.nanos / 1000))).toBe(micros(expiresAt));
      expectSuccess(await work.run(["apply", "-refresh-only", "-auto-approve", "-no-color", "-input=false"], env), "refresh");
      expect((await work.resource("agyn_api_token.ci")).expires_at).toBe(expiresAt);
    });

    it("treats another spelling of the same expires_at instant as no change", async () => {
      const env = { TF_VAR_agyn_api_token: mint(gateway, work, { subject: `spelling-${protocol}` }) };
      const config = (expiresAt: string) =>
        tokenConfig(gateway.url, tokenResource("ci", `description = "ci"\nexpires_at  = "${expiresAt}"`));
      work.write({ "main.tf": config("2030-01-01T00:00:00Z") });
      expectSuccess(await work.apply(env), "apply");
      const id = String(await work.output("ci_id"));

      work.write({ "main.tf": config("2030-01-01T01:00:00+01:00") });
      const same = await work.plan(env);
      expectExit(same, 0);
      expect(same.stdout).toContain("No changes.");
      const applied = await work.apply(env);
      expectSuccess(applied, "apply with the other spelling");
      expect(applied.stdout).toContain("Resources: 0 added, 0 changed, 0 destroyed.");
      expect(await work.resource("agyn_api_token.ci")).toMatchObject({ id, expires_at: "2030-01-01T00:00:00Z" });

      // A different instant does replace it.
      work.write({ "main.tf": config("2030-01-01T01:00:00Z") });
      const other = await work.plan(env);
      expectExit(other, 2);
      expect(other.stdout).toContain("must be replaced");
      expect(other.stdout).toContain("Plan: 1 to add, 0 to change, 1 to destroy.");
    });
  });
});
