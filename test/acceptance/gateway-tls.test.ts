// TLS to the Gateway with the real terraform, protocol 6 and forced protocol 5, against local Gateways serving
// certificates of a private CA made at test time: refused without ca_file (saying the authority is unknown),
// trusted with ca_file and with an agyn CLI profile's caFile, refused on a host name mismatch and on an expired
// certificate. Whenever the certificate is refused, the Gateway received no request at all: the token is never
// sent before the certificate is verified.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createPrivateCa, expiredYesterday } from "../support/certificates";
import { startTestGateway, type TestGateway } from "../support/local-gateway";
import { describeWithTerraform, expectSuccess, protocols, providerConfiguration } from "../support/terraform";
import { flat, mint, type TokenWorkdir, useTokenWorkdir } from "./api-token-support";

const ME = `data "agyn_user" "me" {}\noutput "me" { value = data.agyn_user.me.identity_id }`;

/** Log lines of requests that reached the Gateway (TLS connection notes left out). */
const requestsIn = (lines: readonly string[]) => lines.filter((line) => !line.startsWith("TLS "));
const REFUSED_CONNECTION = /^TLS (handshake failed|connection closed before any request)/;

describeWithTerraform("TLS to the Gateway", (tf) => {
  const ca = createPrivateCa();
  let trusted: TestGateway;
  let otherHost: TestGateway;
  let expired: TestGateway;
  beforeAll(async () => {
    [trusted, otherHost, expired] = await Promise.all([
      startTestGateway({ tls: ca.issueServerCertificate() }),
      startTestGateway({ tls: ca.issueServerCertificate({ dnsNames: ["gateway.example.test"], ipAddresses: [] }) }),
      startTestGateway({ tls: ca.issueServerCertificate(expiredYesterday()) }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([trusted?.close(), otherHost?.close(), expired?.close()]);
  });

  describe.each(protocols)("protocol %i", (protocol) => {
    let work: TokenWorkdir;
    useTokenWorkdir(tf, protocol, (w) => (work = w));

    /** The CA certificate as a file in the work directory (what a user points ca_file at). */
    const caFile = () => {
      const path = join(work.dir, "private-ca.pem");
      writeFileSync(path, ca.certPem);
      return path;
    };

    /**
     * Plans against `gateway` and expects the certificate to be refused: exit 1, a diagnostic matching each of
     * `expected`, and not one request at the Gateway (the provider did connect: the Gateway saw it give up).
     */
    const expectRefused = async (gateway: TestGateway, settings: Record<string, string>, expected: RegExp[]) => {
      const token = mint(gateway, work, { subject: `oidc|tls-${protocol}-${Math.random()}` });
      const before = gateway.requestLog().length;
      work.write({ "main.tf": providerConfiguration(gateway.url, ME, settings) });
      const plan = await work.plan({ TF_VAR_agyn_api_token: token });
      expect(plan.code).toBe(1);
      const diagnostics = flat(plan.stderr);
      for (const pattern of expected) expect(diagnostics).toMatch(pattern);
      // Plain words, not Node's error codes.
      expect(diagnostics).not.toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|CERT_HAS_EXPIRED|ERR_TLS_CERT_ALTNAME_INVALID/);
      const seen = await gateway.logFrom(before, REFUSED_CONNECTION);
      expect(requestsIn(seen)).toEqual([]);
    };

    it("a private CA's certificate is refused without ca_file, saying the authority is unknown", async () => {
      await expectRefused(trusted, {}, [
        /GetMe failed \(unavailable\): the TLS certificate of 127\.0\.0\.1:\d+ is signed by an unknown authority/,
        /set ca_file/,
      ]);
    });

    it("is trusted with ca_file", async () => {
      const token = mint(trusted, work, { subject: `oidc|tls-ca-file-${protocol}`, name: "Cass File" });
      work.write({ "main.tf": providerConfiguration(trusted.url, ME, { ca_file: caFile() }) });
      const before = trusted.requestLog().length;
      expectSuccess(await work.apply({ TF_VAR_agyn_api_token: token }), "apply with ca_file");
      expect(String(await work.output("me"))).toMatch(/^[0-9a-f-]{36}$/);
      // Every request reached this Gateway and succeeded: Configure's credentials check in each phase, the read.
      const seen = requestsIn(await trusted.logFrom(before, /^GetMe ok/));
      expect(seen.length).toBeGreaterThan(0);
      expect(seen).toEqual(seen.map(() => expect.stringMatching(/^GetMe ok/)));
    });

    it("is trusted with the caFile of the agyn CLI profile the Gateway comes from", async () => {
      const token = mint(trusted, work, { subject: `oidc|tls-profile-${protocol}`, name: "Pro File" });
      // terraform runs with HOME = the work directory, so this is ~/.agyn of the provider.
      const agyn = join(work.dir, ".agyn");
      mkdirSync(agyn);
      writeFileSync(
        join(agyn, "config.yaml"),
        `currentProfile: private\nprofiles:\n  private:\n    gatewayUrl: ${trusted.url}\n    caFile: ${caFile()}\n`,
      );
      writeFileSync(join(agyn, "credentials"), `private:\n  token: ${token}\n`, { mode: 0o600 });
      work.write({
        "main.tf": `
terraform {
  required_providers {
    agyn = { source = "agynio/agyn" }
  }
}
provider "agyn" {}
${ME}
`,
      });
      expectSuccess(await work.apply(), "apply with the profile's caFile");
      expect(String(await work.output("me"))).toMatch(/^[0-9a-f-]{36}$/);
    });

    it("a certificate for another host name is refused even with ca_file", async () => {
      await expectRefused(otherHost, { ca_file: caFile() }, [
        /GetMe failed \(unavailable\): the TLS certificate of 127\.0\.0\.1:\d+ is not valid for 127\.0\.0\.1 \(it names DNS:gateway\.example\.test\)/,
      ]);
    });

    it("an expired certificate is refused even with ca_file", async () => {
      await expectRefused(expired, { ca_file: caFile() }, [
        /GetMe failed \(unavailable\): the TLS certificate of 127\.0\.0\.1:\d+ has expired/,
      ]);
    });
  });
});
