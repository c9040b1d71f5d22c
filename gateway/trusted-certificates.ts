// Whom the Gateway client trusts over https. Normally node's default store (its bundled roots plus
// NODE_EXTRA_CA_CERTS) unless a CA is configured. When the launcher gave node an empty default store to start
// faster (bin/terraform-provider-agyn), the same trust is spelled out here instead, so nothing changes for users.
import { rootCertificates } from "node:tls";

/** Node's default store as the launcher set it aside: its bundled roots plus the extra certificates, if any. */
export interface DeferredDefaultStore {
  /** The PEM file NODE_EXTRA_CA_CERTS named, read; absent when there was none or it could not be read. */
  readonly extraCaPem?: string;
}

/** The `ca` list for an https agent; undefined means node's own default store. */
export function trustedCertificates(caPem: string | undefined, deferred: DeferredDefaultStore | undefined): string[] | undefined {
  // A configured CA joins the bundled roots; like node's own `ca` option, it leaves NODE_EXTRA_CA_CERTS out.
  if (caPem) return [...rootCertificates, caPem];
  if (deferred) return deferred.extraCaPem ? [...rootCertificates, deferred.extraCaPem] : [...rootCertificates];
  return undefined;
}
