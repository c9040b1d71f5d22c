// The plugin's own certificate for go-plugin AutoMTLS. Terraform trusts exactly this certificate (it is put
// in RootCAs after the handshake) and verifies it for the name "localhost", so it carries SAN DNS:localhost
// and EKU serverAuth; otherwise it mirrors go-plugin's generateCert (self-signed CA), with a P-256 key.
import { generateKeyPairSync, randomBytes, sign } from "node:crypto";
import {
  bitString, booleanTrue, explicit, implicitPrimitive, objectIdentifier, octetString, sequence, set,
  unsignedInteger, utcTime, utf8String,
} from "./der";

export interface ServerCertificate {
  certPem: string;
  keyPem: string;
  /** DER of the certificate in standard base64 without '=' padding, as go-plugin's handshake expects. */
  derBase64Unpadded: string;
}

const OID = {
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  commonName: "2.5.4.3",
  organization: "2.5.4.10",
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  extKeyUsage: "2.5.29.37",
  subjectAltName: "2.5.29.17",
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
};

const extension = (oid: string, critical: boolean, value: Uint8Array) =>
  critical ? sequence(objectIdentifier(oid), booleanTrue(), octetString(value)) : sequence(objectIdentifier(oid), octetString(value));

const rdn = (oid: string, value: string) => set(sequence(objectIdentifier(oid), utf8String(value)));

export function createServerCertificate(now = new Date()): ServerCertificate {
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const serial = randomBytes(16);
  serial[0] &= 0x7f; // positive and below 2^128, like go-plugin's
  const name = sequence(rdn(OID.commonName, "localhost"), rdn(OID.organization, "agyn terraform provider"));
  const algorithm = sequence(objectIdentifier(OID.ecdsaWithSha256));
  // keyUsage bits 0 digitalSignature, 2 keyEncipherment, 4 keyAgreement, 5 keyCertSign: 10101100, 2 unused bits.
  const keyUsage = bitString(Buffer.of(0xac), 2);
  const tbs = sequence(
    explicit(0, unsignedInteger(Buffer.of(2))), // X.509 v3
    unsignedInteger(serial),
    algorithm,
    name,
    // Not before: a little in the past, so clock skew between us and Terraform cannot reject it.
    sequence(utcTime(new Date(now.getTime() - 30_000)), utcTime(new Date(now.getTime() + 30 * 24 * 3600_000))),
    name,
    publicKey.export({ type: "spki", format: "der" }),
    explicit(3, sequence(
      extension(OID.basicConstraints, true, sequence(booleanTrue())),
      extension(OID.keyUsage, true, keyUsage),
      extension(OID.extKeyUsage, false, sequence(objectIdentifier(OID.serverAuth), objectIdentifier(OID.clientAuth))),
      extension(OID.subjectAltName, false, sequence(implicitPrimitive(2, Buffer.from("localhost", "ascii")))),
    )),
  );
  const signature = sign("sha256", tbs, privateKey);
  const der = sequence(tbs, algorithm, bitString(signature));
  const b64 = der.toString("base64");
  return {
    certPem: `-----BEGIN CERTIFICATE-----\n${b64.replace(/(.{64})/g, "$1\n").replace(/\n$/, "")}\n-----END CERTIFICATE-----\n`,
    keyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    derBase64Unpadded: b64.replace(/=+$/, ""),
  };
}
