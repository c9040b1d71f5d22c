// data "agyn_user" with the real terraform binary, under protocol 6 and forced protocol 5.
import { useTestGateway } from "../support/local-gateway";
import { describeWithTerraform, expectSuccess, protocols, providerConfiguration, TerraformWorkdir } from "../support/terraform";

const config = (gateway: string) =>
  providerConfiguration(gateway, `data "agyn_user" "me" {}\noutput "me" { value = data.agyn_user.me }`);

describeWithTerraform("data agyn_user", (tf) => {
  const gateway = useTestGateway();

  describe.each(protocols)("protocol %i", (protocol) => {
    let work: TerraformWorkdir;
    beforeEach(() => {
      work = new TerraformWorkdir(tf, { AGYN_PROVIDER_PROTOCOL: String(protocol) });
    });
    afterEach(() => work.cleanup());

    it("returns the caller's identity", async () => {
      const token = gateway.mintToken({ subject: `oidc|ada-${protocol}`, name: "Ada Lovelace", admin: true });
      work.write({ "main.tf": config(gateway.url) });
      const r = await work.apply({ TF_VAR_agyn_api_token: token });
      expectSuccess(r, "apply");
      const me = (await work.outputs()).me.value as Record<string, string>;
      expect(me).toMatchObject({
        oidc_subject: `oidc|ada-${protocol}`,
        name: "Ada Lovelace",
        cluster_role: "admin",
        // Absent on the Gateway: null, as in agyn_user and agyn_api_tokens (never "").
        email: null,
        photo_url: null,
      });
      expect(me.username).toMatch(/^ada-lovelace(-\d+)?$/);
      expect(me.identity_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(me.id).toBe(me.identity_id);
      expect(r.stdout).not.toContain(token);
    });

    it("reports a rejected token clearly, without echoing it", async () => {
      const revokedShape = gateway.mintToken({ subject: "someone" }).replace(/.$/, (c) => (c === "a" ? "b" : "a"));
      work.write({ "main.tf": config(gateway.url) });
      const r = await work.run(["plan", "-no-color", "-input=false"], { TF_VAR_agyn_api_token: revokedShape });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("agyn Gateway rejected the token");
      expect(r.stderr).toContain("GetMe failed (unauthenticated): invalid api token");
      expect(r.stderr + r.stdout).not.toContain(revokedShape);
    });

    it("reports an unreachable Gateway clearly", async () => {
      const token = gateway.mintToken({ subject: "someone-else" });
      work.write({ "main.tf": config("http://127.0.0.1:9") });
      const r = await work.run(["plan", "-no-color", "-input=false"], { TF_VAR_agyn_api_token: token });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("Cannot reach the agyn Gateway");
      expect(r.stderr).toContain("127.0.0.1:9");
      expect(r.stderr + r.stdout).not.toContain(token);
    });

    it("never writes the token to a TF_LOG=trace log", async () => {
      const token = gateway.mintToken({ subject: `tracer-${protocol}` });
      work.write({ "main.tf": config(gateway.url) });
      const r = await work.apply({ TF_VAR_agyn_api_token: token, TF_LOG: "trace" });
      expectSuccess(r, "apply");
      // The provider's own lines arrive through Terraform's log, so the test also proves they are there.
      expect(r.stderr).toContain("provider.terraform-provider-agyn");
      expect(r.stderr).toContain("token setting resolved");
      expect(r.stderr + r.stdout).not.toContain(token);
    });
  });

  it("reaches a Gateway behind a path prefix (https://host/api style)", async () => {
    const work = new TerraformWorkdir(tf);
    try {
      const token = gateway.mintToken({ subject: "prefix-user", name: "Prefix User" });
      work.write({ "main.tf": config(`${gateway.url}/api`) });
      expectSuccess(await work.apply({ TF_VAR_agyn_api_token: token }), "apply");
      expect((await work.outputs()).me.value).toMatchObject({ oidc_subject: "prefix-user" });
    } finally {
      work.cleanup();
    }
  });

  it("validates without credentials or network", async () => {
    const work = new TerraformWorkdir(tf);
    try {
      work.write({ "main.tf": config("http://127.0.0.1:9") });
      const r = await work.run(["validate", "-no-color"]);
      expectSuccess(r, "validate");
    } finally {
      work.cleanup();
    }
  });

  it("refuses plain http to a non-loopback Gateway, pointing at the attribute", async () => {
    const work = new TerraformWorkdir(tf);
    try {
      work.write({ "main.tf": config("http://gateway.example.com") });
      const r = await work.run(["validate", "-no-color"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("Insecure Gateway URL");
      expect(r.stderr).toMatch(/gateway\s+=\s+"http:\/\/gateway\.example\.com"/);
    } finally {
      work.cleanup();
    }
  });

  it("publishes the same schema as `terraform providers schema -json`", async () => {
    const { execFileSync } = await import("node:child_process");
    const { join } = await import("node:path");
    const { repoRoot } = await import("../support/terraform");
    const ours = JSON.parse(execFileSync(join(repoRoot, "bin/terraform-provider-agyn"), ["schema"], { encoding: "utf8" }));
    const work = new TerraformWorkdir(tf);
    try {
      work.write({ "main.tf": config(gateway.url) });
      const r = await work.run(["providers", "schema", "-json"]);
      expectSuccess(r, "providers schema");
      const theirs = JSON.parse(r.stdout);
      expect(ours).toEqual(theirs);
      // In the same key order too: binding generators (`cdktf get`) emit members in schema order.
      expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
    } finally {
      work.cleanup();
    }
  });
});
