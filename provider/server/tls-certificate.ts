// The plugin's own certificate for go-plugin AutoMTLS. Terraform trusts exactly this certificate (it is put
// in RootCAs after the handshake) and verifies it for the name "localhost", so it carries SAN DNS:localhost
// and EKU serverAuth; otherwise it mirrors go-plugin's generateCert (self-signed CA), with a P-256 key.
import { generateKeyPairSync, randomBytes, sign } from "node:crypto";
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

/**
 * A certificate shaped like go-plugin's generateCert(): CN=localhost, SAN DNS:localhost, CA with
 * keyCertSign, EKU serverAuth+clientAuth, valid from 30 s ago (clock skew between us and Terraform).
 */
export function createSelfSignedCertificate(options: SelfSignedOptions): { certPem: string; keyPem: string; der: Buffer } {
  const now = options.now ?? new Date();
  const { hash, signatureOid } = CURVES[options.curve];
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: options.curve });
  const serial = randomBytes(16);
  serial[0] &= 0x7f; // positive and below 2^128, like go-plugin's
  const name = sequence(rdn(OID.commonName, "localhost"), rdn(OID.organization, options.organization));
  const algorithm = sequence(objectIdentifier(signatureOid));
  // keyUsage bits 0 digitalSignature, 2 keyEncipherment, 4 keyAgreement, 5 keyCertSign: 10101100, 2 unused bits.
  const keyUsage = bitString(Buffer.of(0xac), 2);
  const tbs = sequence(
    explicit(0, unsignedInteger(Buffer.of(2))), // X.509 v3
    unsignedInteger(serial),
    algorithm,
    name,
    sequence(x509Time(new Date(now.getTime() - 30_000)), x509Time(new Date(now.getTime() + options.validForMs))),
    name,
    publicKey.export({ type: "spki", format: "der" }),
    explicit(3, sequence(
      extension(OID.basicConstraints, true, sequence(booleanTrue())),
      extension(OID.keyUsage, true, keyUsage),
      extension(OID.extKeyUsage, false, sequence(objectIdentifier(OID.serverAuth), objectIdentifier(OID.clientAuth))),
      extension(OID.subjectAltName, false, sequence(implicitPrimitive(2, Buffer.from("localhost", "ascii")))),
    )),
  );
  const der = sequence(tbs, algorithm, bitString(sign(hash, tbs, privateKey)));
  return {
    certPem: pem(der),
    keyPem: privateKey.export({ type: options.keyFormat, format: "pem" } as never).toString(),
    der,
  };
}

/** The plugin's server certificate: P-256 (fast to make on every launch), valid for 30 days. */
export function createServerCertificate(now = new Date()): ServerCertificate {
  const cert = createSelfSignedCertificate({
    curve: "P-256", organization: "Terraform plugin", validForMs: 30 * 24 * 3600_000, keyFormat: "pkcs8", now,
  });
  return { certPem: cert.certPem, keyPem: cert.keyPem, derBase64Unpadded: cert.der.toString("base64").replace(/=+$/, "") };
}
