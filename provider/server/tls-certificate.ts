// The plugin's own certificate for go-plugin AutoMTLS. Terraform trusts exactly this certificate (it is put
// in RootCAs after the handshake) and verifies it for the name "localhost", so it carries SAN DNS:localhost
// and EKU serverAuth; otherwise it mirrors go-plugin's generateCert (self-signed CA), with a P-256 key.
// issueCertificate() is the general form (any names, validity, issuer), e.g. a private CA and its server
// certificates for tests of TLS to the Gateway.
import { type KeyObject, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { isIPv4 } from "node:net";
import {
  bitString, booleanTrue, explicit, implicitPrimitive, objectIdentifier, octetString, sequence, set,
  unsignedInteger, utf8String, x509Time,
} from "./der";

export interface ServerCertificate {
  certPem: string;
  keyPem: string;
  /** DER of the certificate in standard base64 without '=' padding, as go-plugin's handshake expects. */
  derBase64Unpadded: string;
}

const OID = {
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  ecdsaWithSha512: "1.2.840.10045.4.3.4",
  commonName: "2.5.4.3",
  organization: "2.5.4.10",
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  extKeyUsage: "2.5.29.37",
  subjectAltName: "2.5.29.17",
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
};

const CURVES = {
  "P-256": { hash: "sha256", signatureOid: OID.ecdsaWithSha256 },
  "P-521": { hash: "sha512", signatureOid: OID.ecdsaWithSha512 },
} as const;

export interface SelfSignedOptions {
  curve: keyof typeof CURVES;
  organization: string;
  validForMs: number;
  keyFormat: "pkcs8" | "sec1";
  now?: Date;
}

const extension = (oid: string, critical: boolean, value: Uint8Array) =>
  critical ? sequence(objectIdentifier(oid), booleanTrue(), octetString(value)) : sequence(objectIdentifier(oid), octetString(value));

const rdn = (oid: string, value: string) => set(sequence(objectIdentifier(oid), utf8String(value)));

export function pem(der: Uint8Array, label = "CERTIFICATE"): string {
  const b64 = Buffer.from(der).toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "");
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/** KeyUsage bits (RFC 5280 4.2.1.3) this code may set. */
const KEY_USAGE_BITS = { digitalSignature: 0, keyEncipherment: 2, keyAgreement: 4, keyCertSign: 5 } as const;

export interface CertificateSpec {
  curve: keyof typeof CURVES;
  commonName: string;
  organization: string;
  notBefore: Date;
  notAfter: Date;
  /** basicConstraints CA:TRUE (and a CA may sign certificates). */
  ca: boolean;
  keyUsage: (keyof typeof KEY_USAGE_BITS)[];
  extKeyUsage: ("serverAuth" | "clientAuth")[];
  /** subjectAltName entries. */
  dnsNames: string[];
  ipAddresses?: string[];
  keyFormat: "pkcs8" | "sec1";
  /** Who signs it; omitted, the certificate signs itself. */
  issuer?: IssuedCertificate;
}

export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
  der: Buffer;
  /** The subject Name (DER), to be the issuer of certificates this one signs. */
  readonly name: Buffer;
  readonly privateKey: KeyObject;
  readonly curve: keyof typeof CURVES;
}

/** An X.509 v3 certificate with a fresh EC key, self-signed or signed by `spec.issuer`. */
export function issueCertificate(spec: CertificateSpec): IssuedCertificate {
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: spec.curve });
  const signer = spec.issuer ?? { privateKey, curve: spec.curve, name: undefined };
  const { hash, signatureOid } = CURVES[signer.curve];
  const serial = randomBytes(16);
  serial[0] &= 0x7f; // positive and below 2^128, like go-plugin's
  const name = sequence(rdn(OID.commonName, spec.commonName), rdn(OID.organization, spec.organization));
  const algorithm = sequence(objectIdentifier(signatureOid));
  const altNames = [
    ...spec.dnsNames.map((dns) => implicitPrimitive(2, Buffer.from(dns, "ascii"))),
    ...(spec.ipAddresses ?? []).map((ip) => implicitPrimitive(7, ipAddressBytes(ip))),
  ];
  const tbs = sequence(
    explicit(0, unsignedInteger(Buffer.of(2))), // X.509 v3
    unsignedInteger(serial),
    algorithm,
    signer.name ?? name,
    sequence(x509Time(spec.notBefore), x509Time(spec.notAfter)),
    name,
    publicKey.export({ type: "spki", format: "der" }),
    explicit(3, sequence(
      extension(OID.basicConstraints, true, spec.ca ? sequence(booleanTrue()) : sequence()),
      extension(OID.keyUsage, true, keyUsageBits(spec.keyUsage)),
      extension(OID.extKeyUsage, false, sequence(...spec.extKeyUsage.map((usage) => objectIdentifier(OID[usage])))),
      ...(altNames.length > 0 ? [extension(OID.subjectAltName, false, sequence(...altNames))] : []),
    )),
  );
  const der = sequence(tbs, algorithm, bitString(sign(hash, tbs, signer.privateKey)));
  return {
    certPem: pem(der),
    keyPem: privateKey.export({ type: spec.keyFormat, format: "pem" } as never).toString(),
    der,
    name,
    privateKey,
    curve: spec.curve,
  };
}

/**
 * A certificate shaped like go-plugin's generateCert(): CN=localhost, SAN DNS:localhost, CA with
 * keyCertSign, EKU serverAuth+clientAuth, valid from 30 s ago (clock skew between us and Terraform).
 */
export function createSelfSignedCertificate(options: SelfSignedOptions): { certPem: string; keyPem: string; der: Buffer } {
  const now = options.now ?? new Date();
  const { certPem, keyPem, der } = issueCertificate({
    curve: options.curve,
    commonName: "localhost",
    organization: options.organization,
    notBefore: new Date(now.getTime() - 30_000),
    notAfter: new Date(now.getTime() + options.validForMs),
    ca: true,
    keyUsage: ["digitalSignature", "keyEncipherment", "keyAgreement", "keyCertSign"],
    extKeyUsage: ["serverAuth", "clientAuth"],
    dnsNames: ["localhost"],
    keyFormat: options.keyFormat,
  });
  return { certPem, keyPem, der };
}

// The named bits as a DER BIT STRING: bit 0 is the first byte's top bit; trailing zero bits are not encoded.
function keyUsageBits(usages: (keyof typeof KEY_USAGE_BITS)[]): Buffer {
  const bits = usages.map((usage) => KEY_USAGE_BITS[usage]);
  const highest = Math.max(...bits);
  let byte = 0;
  for (const bit of bits) byte |= 0x80 >> bit;
  return bitString(Buffer.of(byte), 7 - highest);
}

function ipAddressBytes(ip: string): Buffer {
  if (isIPv4(ip)) return Buffer.from(ip.split(".").map(Number));
  throw new Error(`only IPv4 addresses are supported in subjectAltName, got ${ip}`);
}

/** The plugin's server certificate: P-256 (fast to make on every launch), valid for 30 days. */
export function createServerCertificate(now = new Date()): ServerCertificate {
  const cert = createSelfSignedCertificate({
    curve: "P-256", organization: "Terraform plugin", validForMs: 30 * 24 * 3600_000, keyFormat: "pkcs8", now,
  });
  return { certPem: cert.certPem, keyPem: cert.keyPem, derBase64Unpadded: cert.der.toString("base64").replace(/=+$/, "") };
}
