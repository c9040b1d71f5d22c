// The certificate and key `agyn-local-gateway serve --tls-cert FILE --tls-key FILE` serves with: read and checked
// before listening (a clear message instead of OpenSSL's), and described for the log, with a warning when
// clients are bound to refuse it.
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { createSecureContext } from "node:tls";
import type { LocalGatewayTls } from "./server";

export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

export interface LoadedTls {
  readonly tls: LocalGatewayTls;
  readonly certificate: X509Certificate;
}

/** Reads and checks the pair; throws an Error whose message says which file is wrong and why. */
export function loadTlsFiles({ certFile, keyFile }: TlsFiles): LoadedTls {
  const cert = readPem(certFile, "--tls-cert");
  const key = readPem(keyFile, "--tls-key");
  if (!/-----BEGIN CERTIFICATE-----/.test(cert)) throw new Error(`--tls-cert ${certFile} holds no PEM certificate`);
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(key)) {
    throw new Error(`--tls-key ${keyFile} is encrypted; give the key without a passphrase`);
  }
  if (!/-----BEGIN (EC |RSA )?PRIVATE KEY-----/.test(key)) throw new Error(`--tls-key ${keyFile} holds no PEM private key`);
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch (error) {
    throw new Error(`--tls-cert ${certFile} cannot be read as a certificate: ${messageOf(error)}`);
  }
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    if (/key values mismatch/.test(messageOf(error))) {
      throw new Error(`--tls-key ${keyFile} is not the private key of the certificate in --tls-cert ${certFile}`);
    }
    throw new Error(`the certificate in ${certFile} and the key in ${keyFile} cannot be used together: ${messageOf(error)}`);
  }
  return { tls: { cert, key }, certificate };
}

/** One line about the certificate for the log: whom it names and until when. */
export function describeCertificate(certificate: X509Certificate): string {
  return `certificate for ${certificate.subjectAltName ?? certificate.subject.replace(/\n/g, ", ")}, valid until ${isoDate(certificate.validTo)}`;
}

/** Why clients will refuse this certificate at `host`; empty when they need not. */
export function certificateProblems(certificate: X509Certificate, host: string, now = Date.now()): string[] {
  const problems: string[] = [];
  if (Date.parse(certificate.validTo) <= now) problems.push(`the certificate expired on ${isoDate(certificate.validTo)}`);
  if (Date.parse(certificate.validFrom) > now) problems.push(`the certificate is not valid before ${isoDate(certificate.validFrom)}`);
  const bare = host.replace(/^\[|\]$/g, "");
  const named = isIP(bare) === 0 ? certificate.checkHost(bare) : certificate.checkIP(bare);
  if (named === undefined) problems.push(`the certificate does not name ${bare}, the host in the URL (--host sets it)`);
  return problems;
}

function readPem(file: string, flag: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`cannot read ${flag} ${file}: ${(error as NodeJS.ErrnoException).code ?? messageOf(error)}`);
  }
}

function isoDate(text: string): string {
  return new Date(Date.parse(text)).toISOString().replace(".000Z", "Z");
}

function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === "string" ? message : String(error);
}
