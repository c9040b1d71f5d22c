// A private certificate authority and its server certificates, made at test time with the plugin's own
// X.509 writer (provider/tls-certificate.ts), so no key or certificate is ever committed.
import { issueCertificate, type IssuedCertificate } from "../../provider/server/tls-certificate";

const DAY_MS = 24 * 3600_000;

export interface ServerCertificateOptions {
  /** subjectAltName DNS names; default localhost. */
  readonly dnsNames?: string[];
  /** subjectAltName IP addresses; default 127.0.0.1. */
  readonly ipAddresses?: string[];
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

export interface PemPair {
  /** The certificate (PEM). */
  readonly cert: string;
  /** Its private key (PEM, PKCS#8). */
  readonly key: string;
}

export interface PrivateCa {
  /** The CA certificate: what `ca_file` / a profile's `caFile` holds. */
  readonly certPem: string;
  /** A server certificate signed by this CA (valid now, for localhost and 127.0.0.1, unless told otherwise). */
  issueServerCertificate(options?: ServerCertificateOptions): PemPair;
}

export function createPrivateCa(commonName = "agyn test private CA"): PrivateCa {
  const now = Date.now();
  const ca: IssuedCertificate = issueCertificate({
    curve: "P-256",
    commonName,
    organization: "agyn provider tests",
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 30 * DAY_MS),
    ca: true,
    keyUsage: ["digitalSignature", "keyCertSign"],
    extKeyUsage: ["serverAuth"],
    dnsNames: [],
    keyFormat: "pkcs8",
  });
  return {
    certPem: ca.certPem,
    issueServerCertificate(options = {}) {
      const issued = issueCertificate({
        curve: "P-256",
        commonName: options.dnsNames?.[0] ?? "localhost",
        organization: "agyn provider tests",
        notBefore: options.notBefore ?? new Date(Date.now() - 3600_000),
        notAfter: options.notAfter ?? new Date(Date.now() + 7 * DAY_MS),
        ca: false,
        keyUsage: ["digitalSignature"],
        extKeyUsage: ["serverAuth"],
        dnsNames: options.dnsNames ?? ["localhost"],
        ipAddresses: options.ipAddresses ?? ["127.0.0.1"],
        keyFormat: "pkcs8",
        issuer: ca,
      });
      return { cert: issued.certPem, key: issued.keyPem };
    },
  };
}

/** A server certificate that expired yesterday (issued for two days until then). */
export function expiredYesterday(): ServerCertificateOptions {
  const now = Date.now();
  return { notBefore: new Date(now - 3 * DAY_MS), notAfter: new Date(now - DAY_MS) };
}
