// resource "agyn_user" with the real terraform binary, under protocol 6 and forced protocol 5: create →
// no-op plan → update and clear → import → destroy (which takes the user's tokens along), drift after an
// out-of-band delete, a duplicate subject, a non-admin caller, the replacement warning, the bootstrap admin
// token, and the upgrade of state written by the platform's Go provider.
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ClusterRole } from "../../gen/agynio/api/users/v1/users_pb";
import { startTestGateway, type TestGateway } from "../support/local-gateway";
import type { WireGatewayClient } from "../support/wire-gateway-client";
import { describeWithTerraform, expectSuccess, protocols, providerConfiguration, TerraformWorkdir } from "../support/terraform";
import { expectExit, flat, TokenWorkdir, useTokenWorkdir, UUID, withClient } from "./api-token-support";

const userBlock = (name: string, attributes: string, options: { output?: boolean } = {}) => `
resource "agyn_user" "${name}" {
  ${attributes.trim().split("\n").join("\n  ")}
}
${options.output === false ? "" : `output "${name}" {\n  value = agyn_user.${name}\n}`}
`;

describeWithTerraform("resource agyn_user", (tf) => {
  let gateway: TestGateway;
  let bootstrapToken: string;
  beforeAll(async () => {
    // A runtime secret, like the platform's bootstrap admin token (never a committed literal).
    bootstrapToken = randomBytes(24).toString("hex");
    gateway = await startTestGateway({ bootstrapToken });
  });
  afterAll(() => gateway.close());

  const admin = (c: (client: WireGatewayClient) => Promise<unknown>) => withClient(gateway, bootstrapToken, c);

  describe.each(protocols)("protocol %i", (protocol) => {
    let work: TokenWorkdir;
    let adminToken: string;
    let env: Record<string, string>;
    const subject = (what: string) => `svc:${what}-p${protocol}`;
    const config = (body: string) => providerConfiguration(gateway.url, body);

    useTokenWorkdir(tf, protocol, (w) => (work = w));
    beforeEach(() => {
      adminToken = work.secret(gateway.mintToken({ subject: `admin-p${protocol}`, name: "Admin", admin: true }));
      env = { TF_VAR_agyn_api_token: adminToken };
    });

    it("creates, updates, clears, imports and destroys a user; destroying deletes the user's tokens", async () => {
      work.write({
        "main.tf": config(userBlock("deployer", `
oidc_subject = "${subject("deployer")}"
name         = "CI Deployer"
email        = "ci@example.com"
photo_url    = "https://example.com/ci.png"
cluster_role = "admin"`)),
      });
      const created = await work.apply(env);
      expectSuccess(created, "create");
      const state = await work.resource("agyn_user.deployer");
      expect(state).toMatchObject({
        oidc_subject: subject("deployer"),
        name: "CI Deployer",
        email: "ci@example.com",
        photo_url: "https://example.com/ci.png",
        username: "ci-deployer", // derived from the name by the Gateway
        cluster_role: "admin",
      });
      const id = String(state.identity_id);
      expect(id).toMatch(UUID);
      expect(state.id).toBe(id);
      const onGateway = await admin((c) => c.getUser(id)) as Awaited<ReturnType<WireGatewayClient["getUser"]>>;
      expect(onGateway.clusterRole).toBe(ClusterRole.ADMIN);
      expect(onGateway.user?.email).toBe("ci@example.com");

      // The derived username causes no diff.
      expectExit(await work.plan(env), 0, "plan after create");

      // Change the name, drop email and photo_url (cleared on the Gateway), omit cluster_role (means "none").
      work.write({ "main.tf": config(userBlock("deployer", `
oidc_subject = "${subject("deployer")}"
name         = "Deployer"`)) });
      const planned = await work.plan(env);
      expectExit(planned, 2, "plan of the update");
      expect(planned.stdout).toContain("agyn_user.deployer will be updated in-place");
      expect(planned.stdout).not.toContain("must be replaced");
      expectSuccess(await work.apply(env), "update");
      const updated = await admin((c) => c.getUser(id)) as Awaited<ReturnType<WireGatewayClient["getUser"]>>;
      expect(updated.user).toMatchObject({ name: "Deployer", email: "", photoUrl: "", username: "ci-deployer" });
      expect(updated.clusterRole).toBe(ClusterRole.UNSPECIFIED);
      expect(await work.resource("agyn_user.deployer")).toMatchObject({ email: null, photo_url: null, cluster_role: "none", username: "ci-deployer" });
      expectExit(await work.plan(env), 0, "plan after update");

      // Set the username explicitly; then remove it from the configuration: the handle stays.
      work.write({ "main.tf": config(userBlock("deployer", `
oidc_subject = "${subject("deployer")}"
name         = "Deployer"
username     = "deployer-p${protocol}"`)) });
      expectSuccess(await work.apply(env), "set username");
      work.write({ "main.tf": config(userBlock("deployer", `
oidc_subject = "${subject("deployer")}"
name         = "Deployer"`)) });
      expectExit(await work.plan(env), 0, "plan without username");

      // Import into a fresh directory: the same configuration then plans nothing.
      const other = new TokenWorkdir(tf, { AGYN_PROVIDER_PROTOCOL: String(protocol) });
      try {
        other.write({ "main.tf": config(userBlock("imported", `
oidc_subject = "${subject("deployer")}"
name         = "Deployer"`)) });
        expectSuccess(await other.importId("agyn_user.imported", id, env), "import");
        expect(await other.resource("agyn_user.imported")).toMatchObject({ identity_id: id, username: `deployer-p${protocol}`, cluster_role: "none" });
        expectExit(await other.plan(env), 0, "plan after import");
        const bad = await other.importId("agyn_user.imported", "not-a-uuid", env);
        expect(bad.code).toBe(1);
      } finally {
        other.cleanup();
      }

      // The user's own tokens go with the user.
      const usersToken = work.secret(gateway.mintToken({ subject: subject("deployer") }));
      await withClient(gateway, usersToken, async (c) => expect((await c.getMe()).user?.meta?.id).toBe(id));
      expectSuccess(await work.destroy(env), "destroy");
      await admin(async (c) => expect(c.getUser(id)).rejects.toMatchObject({ code: "not_found" }));
      await withClient(gateway, usersToken, async (c) => expect(c.getMe()).rejects.toMatchObject({ code: "unauthenticated" }));
    });

    it("recreates a user deleted outside Terraform, and warns before a replacement", async () => {
      work.write({ "main.tf": config(userBlock("bot", `oidc_subject = "${subject("bot")}"`)) });
      expectSuccess(await work.apply(env), "create");
      const first = String((await work.resource("agyn_user.bot")).identity_id);
      expect((await work.resource("agyn_user.bot")).cluster_role).toBe("none");

      await admin((c) => c.deleteUser(first));
      const drift = await work.plan(env);
      expectExit(drift, 2, "plan after out-of-band delete");
      expect(drift.stdout).toContain("agyn_user.bot will be created");
      expectSuccess(await work.apply(env), "recreate");
      const second = String((await work.resource("agyn_user.bot")).identity_id);
      expect(second).not.toBe(first);

      work.write({ "main.tf": config(userBlock("bot", `oidc_subject = "${subject("bot2")}"`)) });
      const replace = await work.plan(env);
      expectExit(replace, 2, "plan of a replacement");
      expect(replace.stdout).toContain("must be replaced");
      expect(flat(replace.stdout + replace.stderr)).toContain("Replacing this user deletes all of their API tokens");
      expect(flat(replace.stdout + replace.stderr)).toContain("including tokens managed elsewhere");
      expectSuccess(await work.destroy(env), "destroy");
    });

    it("names the existing user when the subject is taken, without retrying", async () => {
      const existing = await admin((c) => c.createUser({ oidcSubject: subject("taken"), username: `taken-p${protocol}` })) as
        Awaited<ReturnType<WireGatewayClient["createUser"]>>;
      const existingId = existing.user!.meta!.id;
      const before = gateway.requestLog().filter((l) => l.startsWith("CreateUser")).length;
      work.write({ "main.tf": config(userBlock("dup", `oidc_subject = "${subject("taken")}"`)) });
      const r = await work.apply(env);
      expect(r.code).toBe(1);
      const text = flat(r.stderr);
      expect(text).toContain("agyn user already exists");
      expect(text).toContain(`oidc_subject "${subject("taken")}" already exists: identity ${existingId}`);
      expect(text).toContain(`terraform import agyn_user.<name> ${existingId}`);
      expect(text).toMatch(/with agyn_user\.dup,/);
      expect(gateway.requestLog().filter((l) => l.startsWith("CreateUser")).length - before).toBe(1);
    });

    it("tells a non-admin caller that cluster admin is required", async () => {
      const plain = work.secret(gateway.mintToken({ subject: `plain-p${protocol}` }));
      work.write({ "main.tf": config(userBlock("nope", `oidc_subject = "${subject("nope")}"`)) });
      const r = await work.apply({ TF_VAR_agyn_api_token: plain });
      expect(r.code).toBe(1);
      expect(flat(r.stderr)).toContain("Cluster admin required");
      expect(flat(r.stderr)).toContain("CreateUser failed (permission_denied): cluster admin required");
    });

    it("rejects invalid values at validate time, pointing at the attribute", async () => {
      work.write({ "main.tf": config(userBlock("bad", `
oidc_subject = "${subject("bad")}"
username     = "Not Valid"
cluster_role = "owner"
name         = ""`)) });
      const r = await work.run(["validate", "-no-color"]);
      expect(r.code).toBe(1);
      const text = flat(r.stderr);
      expect(text).toContain('"Not Valid" is not a valid username');
      expect(text).toContain('cluster_role must be "admin" or "none", got "owner"');
      expect(text).toContain("An empty name cannot be stored");
      expect(r.stderr).toMatch(/username\s+=\s+"Not Valid"/);
    });
  });

  it("the platform's bootstrap admin token can manage users", async () => {
    const work = new TerraformWorkdir(tf);
    try {
      work.write({ "main.tf": providerConfiguration(gateway.url, userBlock("ops", `
oidc_subject = "svc:ops"
cluster_role = "admin"`)) });
      const env = { TF_VAR_agyn_api_token: bootstrapToken };
      const r = await work.apply(env);
      expectSuccess(r, "apply with the bootstrap token");
      expect(r.stdout + r.stderr).not.toContain(bootstrapToken);
      expectSuccess(await work.destroy(env), "destroy");
    } finally {
      work.cleanup();
    }
  });

  it.each(protocols)("upgrades state written by the platform's Go provider without re-import (protocol %i)", async (protocol) => {
    const created = await admin((c) => c.createUser({ oidcSubject: `go:user-${protocol}`, name: "Go User", username: `go-user-${protocol}` })) as
      Awaited<ReturnType<WireGatewayClient["createUser"]>>;
    const id = created.user!.meta!.id;
    const adminToken = gateway.mintToken({ subject: `go-admin-${protocol}`, admin: true });
    const work = new TerraformWorkdir(tf, { AGYN_PROVIDER_PROTOCOL: String(protocol) });
    try {
      work.write({ "main.tf": providerConfiguration(gateway.url, userBlock("legacy", `
oidc_subject = "go:user-${protocol}"
name         = "Go User"
username     = "go-user-${protocol}"`, { output: false })) });
      // What terraform-plugin-framework wrote for the Go provider's agyn_user: schema version 0, `nickname`, no `id` or `email`.
      writeFileSync(join(work.dir, "terraform.tfstate"), JSON.stringify({
        version: 4, terraform_version: "1.9.8", serial: 3, lineage: "5b0e6c1e-3f4a-4f39-9d6e-2f0f6f0c7a11", outputs: {},
        resources: [{
          mode: "managed", type: "agyn_user", name: "legacy", provider: 'provider["registry.terraform.io/agynio/agyn"]',
          instances: [{
            schema_version: 0,
            attributes: {
              identity_id: id, oidc_subject: `go:user-${protocol}`, name: "Go User", photo_url: null,
              nickname: `go-user-${protocol}`, username: `go-user-${protocol}`, cluster_role: "none",
            },
            sensitive_attributes: [],
          }],
        }],
        check_results: null,
      }));
      const env = { TF_VAR_agyn_api_token: adminToken };
      const plan = await work.plan(env);
      expectExit(plan, 0, "plan over Go-provider state");
      expectSuccess(await work.apply(env), "apply (writes the upgraded state)");
      const values = await (async () => {
        const state = await work.state();
        return state.values!.root_module!.resources!.find((r) => r.address === "agyn_user.legacy")!.values;
      })();
      expect(values).toEqual({
        id, identity_id: id, oidc_subject: `go:user-${protocol}`, name: "Go User", email: null, photo_url: null,
        username: `go-user-${protocol}`, cluster_role: "none",
        // Issue 10 added the opt-ins; the Go provider's state has none.
        allow_self_delete: null,
        allow_self_demote: null,
      });
      expect(values).not.toHaveProperty("nickname");
    } finally {
      work.cleanup();
    }
  });
});
