// The secrets of the run tokens this provider process opened and has not closed yet. Terraform closes an
// ephemeral resource through the same process that opened it, so Close finds the secret here (by the key
// in the private bytes) and revokes the token as the token itself: that works even when the credentials the
// provider was configured with no longer do — e.g. they came from another ephemeral token that Terraform
// closed first. The secret never leaves memory: not in private bytes, plan, state or logs.
import { randomBytes } from "node:crypto";
import type { ConnectAs } from "../configuration/session";

export interface OpenRunToken {
  readonly secret: string;
  /** How to reach the Gateway that minted it; undefined when the session offers no way. */
  readonly connect: ConnectAs | undefined;
}

const open = new Map<string, OpenRunToken>();

/** Keeps the secret until Close; returns the key to find it by. */
export function rememberRunToken(token: OpenRunToken): string {
  const key = randomBytes(16).toString("hex");
  open.set(key, token);
  return key;
}

/** The secret for `key`, forgotten from now on; undefined when this process does not hold it. */
export function takeRunToken(key: string): OpenRunToken | undefined {
  const token = open.get(key);
  open.delete(key);
  return token;
}
