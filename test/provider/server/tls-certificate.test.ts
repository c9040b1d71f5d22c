import { spawnSync } from "node:child_process";
import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServerCertificate, issueCertificate, type ServerCertificate } from "../../../provider/server/tls-certificate";

function pemToDer(pem: string): Buffer {
  const body = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s+/g, "");
  return Buffer.from(body, "base64");
}

const opensslAvailable = spawnSync("openssl", ["version"], { encoding: "utf8" }).status === 0;

describe("createServerCertificate", () => {
  let cert: ServerCertificate;
  let x509: X509Certificate;
  const before = Date.now();

  beforeAll(() => {
    cert = createServerCertificate();
    x509 = new X509Certificate(cert.certPem);
  });

  it("is a PEM certificate with 64-character lines", () => {
    const lines = cert.certPem.trimEnd().split("\n");
    expect(lines[0]).toBe("-----BEGIN CERTIFICATE-----");
    expect(lines[lines.length - 1]).toBe("-----END CERTIFICATE-----");
    for (const l of lines.slice(1, -2)) expect(l).toHaveLength(64);
    expect(lines[lines.length - 2].length).toBeLessThanOrEqual(64);
    expect(cert.certPem.endsWith("\n")).toBe(true);
  });

  it("is for DNS:localhost and passes a host check for localhost only", () => {
    expect(x509.subjectAltName).toBe("DNS:localhost");
    expect(x509.checkHost("localhost")).toBe("localhost");
    expect(x509.checkHost("example.com")).toBeUndefined();
    expect(x509.subject).toContain("CN=localhost");
  });

  it("is a CA (go-plugin puts it in RootCAs) and self-issued", () => {
    expect(x509.ca).toBe(true);
    expect(x509.issuer).toBe(x509.subject);
    expect(x509.checkIssued(x509)).toBe(true);
  });

  it("its self-signature verifies with its own public key", () => {
    expect(x509.verify(x509.publicKey)).toBe(true);
    const other = new X509Certificate(createServerCertificate().certPem);
    expect(x509.verify(other.publicKey)).toBe(false);
  });

  it("uses a P-256 key", () => {
    expect(x509.publicKey.asymmetricKeyType).toBe("ec");
    expect(x509.publicKey.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
  });

  it("is valid from a little in the past until well in the future", () => {
    const from = Date.parse(x509.validFrom);
    const to = Date.parse(x509.validTo);
    expect(from).toBeLessThan(before);
    expect(from).toBeGreaterThan(before - 5 * 60_000);
    expect(to).toBeGreaterThan(Date.now() + 24 * 3600_000);
  });

  it("honours the given clock", () => {
    const now = new Date("2030-05-01T12:00:00Z");
    const c = new X509Certificate(createServerCertificate(now).certPem);
    expect(Date.parse(c.validFrom)).toBe(now.getTime() - 30_000);
    expect(Date.parse(c.validTo)).toBe(now.getTime() + 30 * 24 * 3600_000);
  });

  it("derBase64Unpadded has no '=' and decodes (re-padded) to the PEM's DER", () => {
    expect(cert.derBase64Unpadded).not.toContain("=");
    expect(cert.derBase64Unpadded).toMatch(/^[A-Za-z0-9+/]+$/);
    const padded = cert.derBase64Unpadded + "=".repeat((4 - (cert.derBase64Unpadded.length % 4)) % 4);
    const der = Buffer.from(padded, "base64");
    expect(der.equals(pemToDer(cert.certPem))).toBe(true);
    expect(der.equals(x509.raw)).toBe(true);
  });

  it("the key PEM is the certificate's private key", () => {
    expect(cert.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const key = createPrivateKey(cert.keyPem);
    expect(x509.checkPrivateKey(key)).toBe(true);
    expect(createPublicKey(key).export({ type: "spki", format: "der" }).equals(x509.publicKey.export({ type: "spki", format: "der" }))).toBe(true);
    const other = createPrivateKey(createServerCertificate().keyPem);
    expect(x509.checkPrivateKey(other)).toBe(false);
  });

  it("every certificate has a fresh key and a positive serial", () => {
    const a = new X509Certificate(createServerCertificate().certPem);
    const b = new X509Certificate(createServerCertificate().certPem);
    expect(a.serialNumber).not.toBe(b.serialNumber);
    expect(a.fingerprint256).not.toBe(b.fingerprint256);
    // 16 bytes with the top bit cleared: at most 32 hex digits, the first below 8.
    expect(a.serialNumber.length).toBeLessThanOrEqual(32);
    if (a.serialNumber.length === 32) expect(parseInt(a.serialNumber[0], 16)).toBeLessThan(8);
  });

  (opensslAvailable ? describe : describe.skip)("with the openssl CLI", () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), "agyn-cert-"));
      writeFileSync(join(dir, "cert.pem"), cert.certPem);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("verifies for the sslserver purpose against itself", () => {
      const file = join(dir, "cert.pem");
      const r = spawnSync("openssl", ["verify", "-purpose", "sslserver", "-CAfile", file, file], { encoding: "utf8" });
      expect(r.stderr).toBe("");
      expect(r.stdout.trim()).toBe(`${file}: OK`);
      expect(r.status).toBe(0);
    });

    it("also for sslclient (go-plugin uses the same certificate both ways) and for the name localhost", () => {
      const file = join(dir, "cert.pem");
      const r = spawnSync("openssl", ["verify", "-purpose", "sslclient", "-verify_hostname", "localhost", "-CAfile", file, file], { encoding: "utf8" });
      expect(r.status).toBe(0);
      const bad = spawnSync("openssl", ["verify", "-verify_hostname", "example.com", "-CAfile", file, file], { encoding: "utf8" });
      expect(bad.status).not.toBe(0);
    });

    it("openssl x509 reads the extensions as intended", () => {
      const r = spawnSync("openssl", ["x509", "-noout", "-text", "-in", join(dir, "cert.pem")], { encoding: "utf8" });
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE/);
      expect(r.stdout).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Key Encipherment, Key Agreement, Certificate Sign/);
      expect(r.stdout).toMatch(/X509v3 Extended Key Usage:\s+TLS Web Server Authentication, TLS Web Client Authentication/);
      expect(r.stdout).toMatch(/X509v3 Subject Alternative Name:\s+DNS:localhost/);
      expect(r.stdout).toContain("Signature Algorithm: ecdsa-with-SHA256");
      expect(r.stdout).toContain("Version: 3 (0x2)");
    });
  });
});

describe("issueCertificate: a private CA and the server certificates it signs", () => {
  const now = Date.now();
  const ca = issueCertificate({
    curve: "P-256", commonName: "Test CA", organization: "tests", notBefore: new Date(now - 60_000), notAfter: new Date(now + 86_400_000),
    ca: true, keyUsage: ["digitalSignature", "keyCertSign"], extKeyUsage: ["serverAuth"], dnsNames: [], keyFormat: "pkcs8",
  });
  const leaf = issueCertificate({
    curve: "P-256", commonName: "gateway", organization: "tests", notBefore: new Date("2001-02-03T04:05:06Z"), notAfter: new Date("2051-02-03T04:05:06Z"),
    ca: false, keyUsage: ["digitalSignature"], extKeyUsage: ["serverAuth"], dnsNames: ["localhost", "gateway.example.test"],
    ipAddresses: ["127.0.0.1"], keyFormat: "pkcs8", issuer: ca,
  });
  const caX509 = new X509Certificate(ca.certPem);
  const leafX509 = new X509Certificate(leaf.certPem);

  it("the CA is self-issued, a CA, without names", () => {
    expect(caX509.ca).toBe(true);
    expect(caX509.checkIssued(caX509)).toBe(true);
    expect(caX509.verify(caX509.publicKey)).toBe(true);
    expect(caX509.subjectAltName).toBeUndefined();
    expect(caX509.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1"]); // Node names the extended key usage (serverAuth) here
  });

  it("the leaf is issued and signed by the CA, is not a CA, and names its hosts and addresses", () => {
    expect(leafX509.checkIssued(caX509)).toBe(true);
    expect(leafX509.verify(caX509.publicKey)).toBe(true);
    expect(leafX509.verify(leafX509.publicKey)).toBe(false);
    expect(leafX509.ca).toBe(false);
    expect(leafX509.issuer).toBe(caX509.subject);
    expect(leafX509.subjectAltName).toBe("DNS:localhost, DNS:gateway.example.test, IP Address:127.0.0.1");
    expect(leafX509.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(leafX509.checkHost("gateway.example.test")).toBe("gateway.example.test");
    expect(leafX509.checkPrivateKey(createPrivateKey(leaf.keyPem))).toBe(true);
  });

  it("keeps the validity it was given, GeneralizedTime from 2050 on", () => {
    expect(Date.parse(leafX509.validFrom)).toBe(Date.parse("2001-02-03T04:05:06Z"));
    expect(Date.parse(leafX509.validTo)).toBe(Date.parse("2051-02-03T04:05:06Z"));
  });
});
