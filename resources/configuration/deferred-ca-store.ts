// What the launcher (bin/terraform-provider-agyn) set aside of node's default certificate store, read back when
// Configure builds an https Gateway client: the launcher's mark, and NODE_EXTRA_CA_CERTS's file, which node
// would have read at start. Like node, a file that cannot be used is a warning, not a failure.
import { readFileSync } from "node:fs";
import type { DeferredDefaultStore } from "../../gateway/trusted-certificates";
import type { Logger } from "../../provider/logging/logger";

/** Set by the launcher when it started node with an empty default store. */
export const DEFERRED_CA_STORE_VARIABLE = "AGYN_PROVIDER_CA_STORE";
/** Where the launcher keeps NODE_EXTRA_CA_CERTS, which it took from node. */
export const EXTRA_CA_CERTS_VARIABLE = "AGYN_PROVIDER_EXTRA_CA_CERTS";

/** Undefined when node kept its own store (no launcher, or NODE_OPTIONS chose a store). */
export function deferredDefaultStore(env: NodeJS.ProcessEnv, log: Logger): DeferredDefaultStore | undefined {
  if (env[DEFERRED_CA_STORE_VARIABLE] !== "deferred") return undefined;
  const file = env[EXTRA_CA_CERTS_VARIABLE];
  if (!file) return {};
  let pem: string;
  try {
    pem = readFileSync(file, "utf8");
  } catch (error) {
    log.warn("ignoring the extra CA certificates of NODE_EXTRA_CA_CERTS: the file cannot be read", {
      file,
      error: error instanceof Error ? error.message : String(error),
    });
    return {};
  }
  if (!pem.includes("-----BEGIN CERTIFICATE-----")) {
    log.warn("ignoring the extra CA certificates of NODE_EXTRA_CA_CERTS: the file holds no PEM certificate", { file });
    return {};
  }
  return { extraCaPem: pem };
}
