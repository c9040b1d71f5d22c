// Why the client refused a Gateway's TLS certificate, in the words a person acts on, instead of OpenSSL's codes
// (UNABLE_TO_VERIFY_LEAF_SIGNATURE means "signed by an unknown authority"). Node checks the certificate before
// any request is written, so a refused Gateway never receives one, nor the token in it.

export type TlsRefusalKind = "unknown_authority" | "expired" | "not_yet_valid" | "host_mismatch" | "untrusted";

export interface TlsRefusal {
  readonly kind: TlsRefusalKind;
  readonly message: string;
}

/** What Node attaches to a certificate verification error (ERR_TLS_CERT_ALTNAME_INVALID carries host and cert). */
export interface CertificateErrorCause {
  readonly code?: string;
  readonly message: string;
  readonly host?: string;
  readonly cert?: { subjectaltname?: string; subject?: { CN?: string } };
}

const UNKNOWN_AUTHORITY = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
]);

/** Other OpenSSL verification failures: said as "not trusted", with OpenSSL's reason. */
const OTHER_VERIFICATION_FAILURES = new Set([
  "CERT_REVOKED",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "CERT_SIGNATURE_FAILURE",
  "INVALID_CA",
  "INVALID_PURPOSE",
  "PATH_LENGTH_EXCEEDED",
  "CERT_CHAIN_TOO_LONG",
]);

/** The refusal `cause` stands for, about the Gateway at `endpoint` (host:port); undefined when it is no certificate failure. */
export function describeTlsRefusal(cause: CertificateErrorCause, endpoint: string): TlsRefusal | undefined {
  const certificate = `the TLS certificate of ${endpoint}`;
  const code = cause.code ?? "";
  if (UNKNOWN_AUTHORITY.has(code)) return { kind: "unknown_authority", message: `${certificate} is signed by an unknown authority` };
  if (code === "CERT_HAS_EXPIRED") return { kind: "expired", message: `${certificate} has expired` };
  if (code === "CERT_NOT_YET_VALID") return { kind: "not_yet_valid", message: `${certificate} is not valid yet` };
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    const names = cause.cert?.subjectaltname || (cause.cert?.subject?.CN ? `CN=${cause.cert.subject.CN}` : "no host name");
    const host = cause.host ?? endpoint.replace(/:\d+$/, "");
    return { kind: "host_mismatch", message: `${certificate} is not valid for ${host} (it names ${names})` };
  }
  if (OTHER_VERIFICATION_FAILURES.has(code)) return { kind: "untrusted", message: `${certificate} is not trusted: ${cause.message}` };
  return undefined;
}
