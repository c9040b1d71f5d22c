// data "agyn_user" looking up other users (identity_id, username, oidc_subject) with the real terraform
// binary, as a cluster admin, as an ordinary user and as the platform's bootstrap identity.
import { randomBytes, randomUUID } from "node:crypto";
import { GatewayStore, type UserRecord } from "../../gateway/local/store";
import { startTestGateway, type TestGateway, useTestGateway } from "../support/local-gateway";
import { describeWithTerraform, expectSuccess, protocols, providerConfiguration, TerraformWorkdir } from "../support/terraform";
import { wireGatewayClient } from "../support/wire-gateway-client";

/** data "agyn_user" blocks, one per entry, and one output holding them all. */
const lookups = (gatewayUrl: string, args: Record<string, string>) =>
  providerConfiguration(gatewayUrl,
    Object.entries(args).map(([name, body]) => `data "agyn_user" "${name}" {\n  ${body}\n}\n`).join("") +
      `output "found" {\n  value = {\n${Object.keys(args).map((name) => `    ${name} = data.agyn_user.${name}`).join("\n")}\n  }\n}\n`);

/** Every attribute the data source reports for `user`, as a cluster admin sees it. */
/** Terraform wraps diagnostic text to the terminal width; compare words, not line breaks. */
const words = (text: string) => text.replace(/\s+/g, " ");

const fullView = (user: UserRecord) => ({
  id: user.id,
  identity_id: user.id,
  // The store keeps "" for "no value"; the Gateway omits it, and the data source reports null.
  username: user.username || null,
  oidc_subject: user.oidcSubject,
  name: user.name || null,
  email: user.email || null,
  photo_url: user.photoUrl || null,
  cluster_role: user.clusterAdmin ? "admin" : "none",
});

describeWithTerraform("data agyn_user lookups", (tf) => {
  const gateway = useTestGateway();

  describe.each(protocols)("protocol %i", (protocol) => {
    let grace: UserRecord;
    let admin: UserRecord;
    /** The user named exactly `crowdedName`, hidden behind a full page of other SearchUsers matches. */
    let hidden: UserRecord;
    let adminToken: string;
    let userToken: string;
    const crowdedName = `svc${protocol}`;

    beforeAll(() => {
      adminToken = gateway.mintToken({ subject: `oidc|lookup-admin-${protocol}`, name: "Lookup Admin", admin: true });
      userToken = gateway.mintToken({ subject: `oidc|lookup-user-${protocol}`, name: "Lookup User" });
      const store = GatewayStore.open(gateway.dbPath);
      try {
        admin = store.findUserBySubject(`oidc|lookup-admin-${protocol}`)!;
        grace = store.createUser({
          oidcSubject: `oidc|grace-${protocol}`, name: "Grace Hopper", username: `grace-${protocol}`, email: "grace@example.com",
        });
        hidden = store.createUser({ oidcSubject: `oidc|svc-${protocol}`, name: "Service", username: crowdedName, email: "svc@example.com" });
        for (const suffix of ["ci", "deploy"]) {
          store.createUser({ oidcSubject: `oidc|svc-${protocol}-${suffix}`, username: `${crowdedName}-${suffix}` });
        }
        // The local Gateway's SearchUsers matches display names too and answers in username order, so
        // these 21 come before the exact username and fill the page.
        for (let i = 1; i <= 21; i++) {
          const n = String(i).padStart(2, "0");
          store.createUser({ oidcSubject: `oidc|svc-${protocol}-bot-${n}`, name: `${crowdedName} bot ${n}`, username: `bot${protocol}-${n}` });
        }
      } finally {
        store.close();
      }
    });

    let work: TerraformWorkdir;
    beforeEach(() => {
      work = new TerraformWorkdir(tf, { AGYN_PROVIDER_PROTOCOL: String(protocol) });
    });
    afterEach(() => work.cleanup());

    it("the setup hides the exact username from SearchUsers' first 20 matches", async () => {
      const client = wireGatewayClient({ baseUrl: gateway.url, token: userToken });
      try {
        const page = await client.searchUsers(crowdedName, 20);
        expect(page).toHaveLength(20);
        expect(page.map((u) => u.username)).not.toContain(crowdedName);
      } finally {
        client.close();
      }
    });

    it("a cluster admin finds users by every argument, with every field", async () => {
      work.write({
        "main.tf": lookups(gateway.url, {
          by_id: `identity_id = "${grace.id}"`,
          by_username: `username = "grace-${protocol}"`,
          by_subject: `oidc_subject = "oidc|grace-${protocol}"`,
          crowded: `username = "${crowdedName}"`,
          admin: `identity_id = "${admin.id}"`,
        }),
      });
      const r = await work.apply({ TF_VAR_agyn_api_token: adminToken });
      expectSuccess(r, "apply");
      expect((await work.outputs()).found.value).toEqual({
        by_id: fullView(grace),
        by_username: fullView(grace),
        by_subject: fullView(grace),
        crowded: fullView(hidden),
        admin: fullView(admin),
      });
      expect(admin.clusterAdmin).toBe(true);
      expect(r.stdout + r.stderr).not.toContain(adminToken);
    });

    it("anyone else finds users by identity_id and username; subject and role stay null", async () => {
      work.write({
        "main.tf": lookups(gateway.url, {
          by_id: `identity_id = "${grace.id.toUpperCase()}"`,
          by_username: `username = "grace-${protocol}"`,
        }),
      });
      expectSuccess(await work.apply({ TF_VAR_agyn_api_token: userToken }), "apply");
      const restricted = { ...fullView(grace), oidc_subject: null, cluster_role: null };
      expect((await work.outputs()).found.value).toEqual({
        // The argument stays as written; id is the canonical form.
        by_id: { ...restricted, identity_id: grace.id.toUpperCase() },
        by_username: restricted,
      });
    });

    it("anyone else is told that oidc_subject lookups need a cluster admin", async () => {
      work.write({ "main.tf": lookups(gateway.url, { by_subject: `oidc_subject = "oidc|grace-${protocol}"` }) });
      const r = await work.plan({ TF_VAR_agyn_api_token: userToken });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("Looking up a user by oidc_subject needs a cluster admin");
      expect(words(r.stderr)).toContain("ListUsers failed (permission_denied): cluster admin required");
      expect(r.stderr).toMatch(new RegExp(`oidc_subject = "oidc\\|grace-${protocol}"`));
    });

    it("anyone else is told why a username behind a full search page cannot be resolved", async () => {
      work.write({ "main.tf": lookups(gateway.url, { crowded: `username = "${crowdedName}"` }) });
      const r = await work.plan({ TF_VAR_agyn_api_token: userToken });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`Cannot resolve username "${crowdedName}"`);
      expect(words(r.stderr)).toContain("listing all users needs a cluster admin");
      expect(r.stderr).toMatch(new RegExp(`username = "${crowdedName}"`));
    });

    it.each([
      ["a cluster admin", () => adminToken, ["identity_id", "username", "oidc_subject"]],
      ["anyone else", () => userToken, ["identity_id", "username"]],
    ] as const)("not found names what was looked up, for %s", async (_who, token, args) => {
      const values: Record<string, string> = {
        identity_id: randomUUID(), username: `nobody-${protocol}`, oidc_subject: `oidc|nobody-${protocol}`,
      };
      work.write({ "main.tf": lookups(gateway.url, Object.fromEntries(args.map((a) => [a, `${a} = "${values[a]}"`]))) });
      const r = await work.plan({ TF_VAR_agyn_api_token: token() });
      expect(r.code).toBe(1);
      for (const a of args) expect(words(r.stderr)).toContain(`No agyn user with ${a} "${values[a]}"`);
    });

    it("terraform validate refuses conflicting, empty and malformed arguments, pointing at each", async () => {
      work.write({
        "main.tf": lookups("http://127.0.0.1:9", {
          both: `identity_id = "${grace.id}"\n  username = "grace-conflict"`,
          empty: `oidc_subject = ""`,
          malformed: `identity_id = "grace-malformed"`,
          shouting: `username = "Grace"`,
        }),
      });
      const r = await work.run(["validate", "-no-color"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("Conflicting lookup arguments");
      expect(words(r.stderr)).toContain('"username" cannot be used together with "identity_id"');
      expect(r.stderr).toMatch(/username = "grace-conflict"/);
      expect(r.stderr).toContain("Empty lookup argument");
      expect(r.stderr).toMatch(/oidc_subject = ""/);
      expect(r.stderr).toContain("Invalid identity_id");
      expect(r.stderr).toMatch(/identity_id = "grace-malformed"/);
      expect(r.stderr).toContain("Invalid username");
      expect(words(r.stderr)).toContain('Usernames are lower case: did you mean "grace"?');
      expect(r.stderr).toMatch(/username = "Grace"/);
    });

    it("not found by username names the similar usernames the caller can see", async () => {
      work.write({ "main.tf": lookups(gateway.url, { typo: `username = "${grace.username}x"` }) });
      const r = await work.plan({ TF_VAR_agyn_api_token: userToken });
      expect(r.code).toBe(1);
      expect(words(r.stderr)).toContain(`Similar usernames you can see: "${grace.username}"`);
    });
  });
});

describeWithTerraform("data agyn_user with the platform's bootstrap token", (tf) => {
  // Not token-shaped on purpose: the platform configures its bootstrap token freely.
  const bootstrapToken = randomBytes(24).toString("hex");
  let platform: TestGateway;
  let ada: UserRecord;
  beforeAll(async () => {
    platform = await startTestGateway({ bootstrapToken });
    const store = GatewayStore.open(platform.dbPath);
    try {
      ada = store.createUser({ oidcSubject: "oidc|ada", name: "Ada Lovelace", username: "ada", clusterAdmin: true });
    } finally {
      store.close();
    }
  });
  afterAll(() => platform?.close());

  describe.each(protocols)("protocol %i", (protocol) => {
    let work: TerraformWorkdir;
    beforeEach(() => {
      work = new TerraformWorkdir(tf, { AGYN_PROVIDER_PROTOCOL: String(protocol) });
    });
    afterEach(() => work.cleanup());

    it("looks users up as a cluster admin, without needing GetMe", async () => {
      work.write({ "main.tf": lookups(platform.url, { by_username: `username = "ada"`, by_subject: `oidc_subject = "oidc|ada"` }) });
      const r = await work.apply({ TF_VAR_agyn_api_token: bootstrapToken });
      expectSuccess(r, "apply");
      expect((await work.outputs()).found.value).toEqual({ by_username: fullView(ada), by_subject: fullView(ada) });
      expect(r.stdout + r.stderr).not.toContain(bootstrapToken);
    });

    it("explains that there is no caller to read", async () => {
      work.write({ "main.tf": lookups(platform.url, { me: "" }) });
      const r = await work.plan({ TF_VAR_agyn_api_token: bootstrapToken });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("The provider's identity has no agyn user");
      expect(words(r.stderr)).toContain("bootstrap (cluster-admin) token has no user");
      expect(r.stdout + r.stderr).not.toContain(bootstrapToken);
    });
  });
});
